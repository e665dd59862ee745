#!/usr/bin/env python3
"""Stands in for systemd's notification socket in the Swift tests: binds a Unix datagram socket
at argv[1], prints "bound", then prints each datagram received as one line (newlines inside a
message become "\\n"), until killed."""
import os
import socket
import sys

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
receiver.bind(path)
print("bound", flush=True)
while True:
    message = receiver.recv(4096).decode("utf-8", "replace")
    print(message.replace("\n", "\\n"), flush=True)
