"""Many Prometheus-like scrapers driven from one thread: each keeps its own keep-alive
connection and scrapes a path once per interval, the phases spread evenly over the interval.
One thread with a selector, because 200 Python threads fighting over the GIL cost several times
the CPU, and on a 2-core machine that CPU comes out of whatever is being measured beside it."""
import heapq
import selectors
import socket
import threading
import time


class PacedScrapers:
    def __init__(self, port, count, interval=1.0, path="/metrics"):
        self.port, self.count, self.interval = port, count, interval
        self.request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
        self.statuses = []  # the HTTP status of each scrape, or what went wrong
        self.latencies_ms = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scrapers")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self._stopping.set()
        self._thread.join()

    def _connect(self, selector, index):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, index)
        return sock

    def _run(self):
        selector = selectors.DefaultSelector()
        began = time.monotonic()
        sockets = [self._connect(selector, index) for index in range(self.count)]
        buffers = [bytearray() for _ in range(self.count)]
        scheduled = [0.0] * self.count
        sent_at = [0.0] * self.count
        due = [(began + self.interval * index / self.count, index) for index in range(self.count)]
        heapq.heapify(due)
        while not self._stopping.is_set():
            now = time.monotonic()
            while due and due[0][0] <= now:
                at, index = heapq.heappop(due)
                sockets[index].sendall(self.request)  # a few bytes into an idle connection
                scheduled[index], sent_at[index] = at, time.monotonic()
            timeout = min(0.05, max(0.0, due[0][0] - now)) if due else 0.05
            for key, _ in selector.select(timeout):
                index = key.data
                try:
                    chunk = sockets[index].recv(1 << 18)
                except OSError as error:
                    chunk, failure = b"", repr(error)
                else:
                    failure = "the server closed the connection"
                if not chunk:  # counted, then a new connection for the next round
                    self.statuses.append(failure)
                    selector.unregister(sockets[index])
                    sockets[index].close()
                    sockets[index] = self._connect(selector, index)
                    buffers[index].clear()
                    heapq.heappush(due, (scheduled[index] + self.interval, index))
                    continue
                buffers[index] += chunk
                status = self._complete(buffers[index])
                if status is not None:
                    self.statuses.append(status)
                    self.latencies_ms.append((time.monotonic() - sent_at[index]) * 1000)
                    buffers[index].clear()
                    heapq.heappush(due, (scheduled[index] + self.interval, index))
        for sock in sockets:
            sock.close()
        selector.close()

    @staticmethod
    def _complete(buffer):
        """The status once the whole response (headers and Content-Length bytes) is in."""
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        length = 0
        for line in bytes(buffer[:end]).split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if len(buffer) < end + 4 + length:
            return None
        return int(buffer[9:12])
