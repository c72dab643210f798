# threads_server.py: the tutorials' thread-per-connection server, ported as they write it.
# Usage: python3 threads_server.py PORT  (socklab-check threads-server -- python3 threads_server.py {port})
import socket
import sys
import threading


def handle(conn):
    conn.send('Welcome!'.encode())
    while True:
        data = conn.recv(1024)
        if not data:
            break
        msg = data.decode().strip()
        if msg == 'exit':
            break
        conn.send(('Hello, ' + msg + '!').encode())
    conn.close()


port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('localhost', port))
s.listen()
while True:
    conn, addr = s.accept()
    t = threading.Thread(target=handle, args=(conn,))
    t.start()
