// Placeholder until the scheduler lands; delete when another file exists here.
