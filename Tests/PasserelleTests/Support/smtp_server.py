#!/usr/bin/python3
"""A loopback SMTP server for the delivery tests (Debian's python3-aiosmtpd).

Usage: smtp_server.py PORT_FILE MAIL_DIR [--defer N] [--reject ADDRESS]...
Writes the port it listens on to PORT_FILE, then each accepted message to MAIL_DIR/NNNN.eml, as received.
--defer N answers 451 to the first N DATA commands of each Message-ID, then 250.
--reject ADDRESS answers 550 to RCPT TO that address.
"""
import asyncio
import os
import re
import socket
import sys

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, folder, defer, rejected):
        self.folder = folder
        self.defer = defer
        self.rejected = set(rejected)
        self.deferred = {}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rejected:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        match = re.search(rb"^Message-ID: *(\S+)", envelope.original_content, re.M | re.I)
        key = match.group(1) if match else b""
        if self.deferred.get(key, 0) < self.defer:
            self.deferred[key] = self.deferred.get(key, 0) + 1
            return "451 4.3.0 try again later"
        self.count += 1
        path = os.path.join(self.folder, "%04d.eml" % self.count)
        with open(path + ".tmp", "wb") as out:
            out.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
            out.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            out.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 2.0.0 accepted"


def main():
    port_file, folder = sys.argv[1], sys.argv[2]
    defer, rejected, args = 0, [], sys.argv[3:]
    while args:
        if args[0] == "--defer":
            defer = int(args[1])
        elif args[0] == "--reject":
            rejected.append(args[1])
        args = args[2:]
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(Handler(folder, defer, rejected), hostname="127.0.0.1", port=port)
    controller.start()
    with open(port_file + ".tmp", "w") as out:
        out.write(str(port))
    os.rename(port_file + ".tmp", port_file)
    try:
        sys.stdin.read()  # runs until the test closes our standard input
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
