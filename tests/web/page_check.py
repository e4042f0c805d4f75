#!/usr/bin/env python3
"""Drives a headless Chromium through the DevTools protocol (standard library only): loads the
web view, watches it in real time, and checks that the grid of hours, the window book and the
trades tape show data that then changes while the page stays open. Optionally saves a
screenshot. Every wait is bounded; only 127.0.0.1 is contacted.

Usage: page_check.py DEVTOOLS_PORT PAGE_URL DEADLINE_SECONDS [SCREENSHOT.png]
Exit status 0: every check passed.
"""
import base64, json, os, socket, struct, sys, time, urllib.request

devtools_port, url, deadline_s = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
screenshot = sys.argv[4] if len(sys.argv) > 4 else None
deadline = time.monotonic() + deadline_s


class DevTools:
    """A WebSocket client just big enough for the DevTools protocol (RFC 6455, client side)."""

    def __init__(self, ws_url):
        rest = ws_url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        assert host in ("127.0.0.1", "localhost"), host
        self.sock = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("devtools closed during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError("devtools refused the WebSocket: " + head.decode(errors="replace"))
        self.next_id = 0

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("devtools closed the connection")
            data += chunk
        return data

    def _send(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        n = len(payload)
        header = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                  bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else
                                  bytes([0x80 | 127]) + struct.pack(">Q", n))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _recv(self):
        text = b""
        while True:
            b0, b1 = self._recv_exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._recv_exact(8))[0]
            payload = self._recv_exact(n)
            if b0 & 0x0F == 8:
                raise RuntimeError("devtools closed the WebSocket")
            if b0 & 0x0F in (1, 0):
                text += payload
                if b0 & 0x80:
                    return json.loads(text)

    def call(self, method, **params):
        self.next_id += 1
        me = self.next_id
        self._send(json.dumps({"id": me, "method": method, "params": params}))
        while True:
            m = self._recv()
            if m.get("id") == me:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})


def page_ws_url():
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=2) as r:
                for t in json.load(r):
                    if t.get("type") == "page":
                        return t["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("chromium's DevTools did not come up")


# What the page shows, from the data attributes app.js keeps.
PROBE = """JSON.stringify({
  status: document.getElementById('status').dataset.state,
  cells: +document.getElementById('grid').dataset.cells,
  levels: +document.getElementById('book').dataset.levels,
  trades: +document.getElementById('tape').dataset.trades,
  grid: document.getElementById('grid').dataset.sig,
  book: document.getElementById('book').dataset.sig,
  tape: document.getElementById('tape').dataset.sig,
  quote: document.getElementById('quote').dataset.sig || '',
  messages: +(document.body.dataset.messages || 0),
})"""


def main():
    dt = DevTools(page_ws_url())
    dt.call("Page.enable")
    dt.call("Emulation.setDeviceMetricsOverride", width=1500, height=1150, deviceScaleFactor=1, mobile=False)
    dt.call("Page.navigate", url=url)
    first = None
    changed = set()
    last = None
    while time.monotonic() < deadline:
        time.sleep(1)
        r = dt.call("Runtime.evaluate", expression=PROBE, returnByValue=True)
        value = r.get("result", {}).get("value")
        if not value:
            continue
        s = json.loads(value)
        last = s
        if first is None:
            if s["status"] == "live" and s["cells"] > 0 and s["levels"] > 0 and s["trades"] > 0:
                first = s
                print(f"page: live, {s['cells']} hours with orders in the grid, {s['levels']} levels in the book, "
                      f"{s['trades']} trades on the tape", flush=True)
            continue
        for part in ("grid", "book", "tape"):
            if s[part] != first[part] and part not in changed:
                changed.add(part)
                print(f"page: the {part} changed live ({s['messages']} messages so far)", flush=True)
        if len(changed) == 3:
            break
    ok = True
    if first is None:
        print(f"FAILED: the page never showed data in the grid, a book and the tape: {last}")
        ok = False
    else:
        for part in ("grid", "book", "tape"):
            if part not in changed:
                print(f"FAILED: the {part} did not change while the page was open: {last}")
                ok = False
    if screenshot and first is not None:
        time.sleep(1)
        png = dt.call("Page.captureScreenshot", format="png")["data"]
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(png))
        print(f"page: screenshot in {screenshot}")
    return 0 if ok else 1


try:
    sys.exit(main())
except Exception as e:  # a broken browser or page: fail with the reason
    print(f"FAILED: {e}")
    sys.exit(1)
