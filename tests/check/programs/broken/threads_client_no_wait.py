# threads_client_no_wait.py: broken threads-client (reply). It sends every message at once,
# without waiting for the replies, so they merge in the stream ("mindthinkcode change the
# world..." arrives as one message) and the server cannot tell them apart.
# Usage: python3 threads_client_no_wait.py PORT
import socket
import sys

port = int(sys.argv[1])
s = socket.socket()
s.connect(('localhost', port))
print(s.recv(1024).decode())
for msg in ['mindthink', 'code change the world', 'hello world', 'exit']:
    s.send(msg.encode())  # BUG: no recv() between the sends
while True:
    data = s.recv(1024)
    if not data:
        break
    print(data.decode())
s.close()
