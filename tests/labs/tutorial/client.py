# client.py — the Python tutorials' client, as a student runs it against lab08-threads server:
# a Welcome! first, then one message per send(), each reply awaited, then exit.
import socket
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 8888
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect(('127.0.0.1', port))
print(s.recv(1024).decode('utf-8'))
for data in [b'mindthink', b'code change the world', b'hello world']:
    s.send(data)
    print(s.recv(1024).decode('utf-8'))
s.send(b'exit')
s.close()
