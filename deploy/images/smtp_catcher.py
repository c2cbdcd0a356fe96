"""Keep every mail given over SMTP; list them as JSON over HTTP (test stack only).

SMTP on 127.0.0.1:$SMTP_PORT, ``GET /messages`` on 127.0.0.1:$HTTP_PORT answers
``[{"from", "to", "subject", "message_id", "text"}]`` in arrival order.
"""

import email
import email.policy
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

MESSAGES: list[dict] = []
LOCK = threading.Lock()


class Keeper:
    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(("plain",))
        with LOCK:
            MESSAGES.append(
                {
                    "from": envelope.mail_from,
                    "to": list(envelope.rcpt_tos),
                    "subject": str(message["Subject"] or ""),
                    "message_id": str(message["Message-ID"] or ""),
                    "text": body.get_content() if body else "",
                }
            )
        return "250 OK"


class Listing(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path != "/messages":
            self.send_error(404)
            return
        with LOCK:
            body = json.dumps(MESSAGES, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_):
        return


if __name__ == "__main__":
    controller = Controller(Keeper(), hostname="127.0.0.1", port=int(os.environ["SMTP_PORT"]))
    controller.start()
    ThreadingHTTPServer(("127.0.0.1", int(os.environ["HTTP_PORT"])), Listing).serve_forever()
