# threads_waits_for_newline.py: broken threads-server (reply). It reads lines, but the
# tutorials' client sends each message without a newline, so readline() never returns and
# no message is ever answered. Usage: python3 threads_waits_for_newline.py PORT
import socket
import sys
import threading


def handle(conn):
    conn.send('Welcome!'.encode())
    f = conn.makefile('r')
    for line in f:  # BUG: waits for '\n', which the protocol never sends
        msg = line.strip()
        if msg == 'exit':
            break
        conn.send(('Hello, ' + msg + '!').encode())
    f.close()
    conn.close()


port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('localhost', port))
s.listen()
while True:
    conn, addr = s.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
