"""An SMTP server for the notification tests that really does TLS and AUTH (aiosmtpd).

Modes:
  starttls  plain connection, STARTTLS offered and required before AUTH and MAIL; AUTH required
  smtps     TLS from the first byte (implicit TLS); AUTH required
  plain     no TLS at all, yet AUTH offered: a client must refuse to send credentials to it
  open      no TLS and no AUTH: a relay that takes any mail (for tests of retries)

Mail goes into a Maildir (<maildir>/new). Every AUTH attempt and MAIL command is appended to
the journal, so a test can prove what the client did not send. Prints "ready" when listening.
"""
import argparse
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["starttls", "smtps", "plain", "open"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--journal", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    options = parser.parse_args()

    def record(line):
        with open(options.journal, "a", encoding="utf-8") as journal:
            journal.write(line + "\n")

    def authenticator(server, session, envelope, mechanism, auth_data):
        login = auth_data.login.decode("utf-8", "replace") if auth_data.login is not None else ""
        password = auth_data.password.decode("utf-8", "replace") if auth_data.password is not None else ""
        accepted = login == options.user and password == options.password
        record(f"AUTH {mechanism} {login} {'ok' if accepted else 'refused'}")
        # handled=False: aiosmtpd itself then answers a refusal with 535 (the default waits silently).
        return AuthResult(success=accepted, handled=False)

    class JournalingMailbox(Mailbox):
        async def handle_MAIL(self, server, session, envelope, address, mail_options):
            record(f"MAIL {address}")
            envelope.mail_from = address
            envelope.mail_options.extend(mail_options)
            return "250 OK"

    context = None
    if options.mode not in ("plain", "open"):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(options.cert, options.key)

    settings = dict(hostname="127.0.0.1", port=options.port, authenticator=authenticator, auth_required=True)
    if options.mode == "starttls":
        settings.update(tls_context=context, require_starttls=True)
    elif options.mode == "smtps":
        # Implicit TLS is not STARTTLS to aiosmtpd: tell it the connection is already secure.
        settings.update(ssl_context=context, auth_require_tls=False)
    elif options.mode == "open":
        settings = dict(hostname="127.0.0.1", port=options.port)
    else:
        settings.update(auth_require_tls=False)
    controller = Controller(JournalingMailbox(options.maildir), **settings)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
