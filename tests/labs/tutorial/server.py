# server.py — the Python tutorials' thread-per-connection server, as a student runs it against
# lab08-threads client: Welcome!, then Hello, <message>! per recv(), until exit.
import socket
import sys
import threading


def tcplink(sock, addr):
    sock.send(b'Welcome!')
    while True:
        data = sock.recv(1024)
        if not data or data.decode('utf-8') == 'exit':
            break
        sock.send(('Hello, %s!' % data.decode('utf-8')).encode('utf-8'))
    sock.close()


port = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', port))
s.listen(5)
threads = []
for _ in range(count):
    sock, addr = s.accept()
    t = threading.Thread(target=tcplink, args=(sock, addr))
    t.start()
    threads.append(t)
for t in threads:
    t.join()
s.close()
