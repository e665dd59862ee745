// Placeholder until the scheduler tests land; delete when another file exists here.
