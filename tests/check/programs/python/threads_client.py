# threads_client.py: the tutorials' client for the thread-per-connection server, ported as
# they write it. Usage: python3 threads_client.py PORT
import socket
import sys

port = int(sys.argv[1])
s = socket.socket()
s.connect(('localhost', port))
print(s.recv(1024).decode())
for msg in ['mindthink', 'code change the world', 'hello world', 'exit']:
    s.send(msg.encode())
    if msg == 'exit':
        break
    print(s.recv(1024).decode())
s.close()
