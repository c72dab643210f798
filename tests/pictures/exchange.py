# exchange.py PORT — one short TCP exchange on 127.0.0.1:PORT (listen, connect, echo, close),
# for the tests that capture it live.
import socket
import sys
import threading

port = int(sys.argv[1])
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(1)


def serve():
    c, _ = ls.accept()
    c.sendall(c.recv(10))
    c.recv(10)
    c.close()


t = threading.Thread(target=serve)
t.start()
s = socket.create_connection(("127.0.0.1", port), timeout=5)
s.sendall(b"hi")
s.recv(10)
s.close()
t.join()
ls.close()
