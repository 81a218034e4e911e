#!/bin/sh
# Regenerates the TLS test fixtures (100-year validity, so they do not expire under the tests).
# Run from this directory: sh make.sh
set -eu
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days $days -subj "/CN=listenq test CA"
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days $days -extfile server.ext
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=listenq test client"
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days $days
# A client certificate no configured CA signed.
openssl req -x509 -newkey rsa:2048 -nodes -keyout stranger.key -out stranger.pem -days $days -subj "/CN=stranger"
# The server key in PKCS#1 form (BEGIN RSA PRIVATE KEY), and a second server pair for reload tests.
openssl rsa -in server.key -traditional -out server-pkcs1.key
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server2.key -out server2.pem \
    -days $days -subj "/CN=localhost second" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
rm -f server.csr client.csr server.ext ca.srl
