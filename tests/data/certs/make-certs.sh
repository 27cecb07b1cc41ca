#!/bin/sh
# make-certs.sh: regenerate the X.509 fixtures in this directory
#
# Run once by hand (needs certtool from gnutls-bin); the outputs are committed
# so the unit tests need no tool. Every run makes new keys, so the SHA-256
# fingerprints recorded in tests/unit/test-certificate-info.c and
# tests/unit/test-trust-store.c must be updated afterwards (the script prints
# them). The keys are test-only and protect nothing.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu
cd "$(dirname "$0")"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# certtool describes every certificate on stderr: keep it for failures only.
ct () {
  certtool "$@" 2>>"$tmp/log" || { cat "$tmp/log" >&2; exit 1; }
}

key () {
  ct --generate-privkey --key-type=ecdsa --curve=secp256r1 \
     --no-text --outfile "$1"
}

# template NAME LINES...: write a certtool template
template () {
  name=$1
  shift
  printf '%s\n' "$@" > "$tmp/$name.tmpl"
}

# The test CA, trusted through ms_tls_database_new ("ca.pem").
key ca-key.pem
template ca \
  'organization = "Mail Setup Tests"' \
  'cn = "Mail Setup Test CA"' \
  'serial = 1' \
  'activation_date = "2024-01-01 00:00:00"' \
  'expiration_date = "2099-12-31 23:59:59"' \
  'ca' \
  'cert_signing_key' \
  'crl_signing_key'
ct --generate-self-signed --load-privkey ca-key.pem \
         --template "$tmp/ca.tmpl" --hash=SHA256 --no-text --outfile ca.pem

# Another CA that no test database knows.
key other-ca-key.pem
template other-ca \
  'organization = "Somebody Else"' \
  'cn = "Unknown Test CA"' \
  'serial = 1' \
  'activation_date = "2024-01-01 00:00:00"' \
  'expiration_date = "2099-12-31 23:59:59"' \
  'ca' \
  'cert_signing_key'
ct --generate-self-signed --load-privkey other-ca-key.pem \
         --template "$tmp/other-ca.tmpl" --hash=SHA256 --no-text \
         --outfile other-ca.pem

# issue NAME CA TEMPLATE-LINES...: a server certificate signed by CA
issue () {
  name=$1
  ca=$2
  shift 2
  key "$name-key.pem"
  template "$name" "$@" 'tls_www_server' 'signing_key' 'encryption_key'
  ct --generate-certificate --load-privkey "$name-key.pem" \
           --load-ca-certificate "$ca.pem" --load-ca-privkey "$ca-key.pem" \
           --template "$tmp/$name.tmpl" --hash=SHA256 --no-text \
           --outfile "$name.pem"
}

# Valid for mail.example.test and imap.example.test, and two addresses.
issue good ca \
  'organization = "Example Mail"' \
  'cn = "mail.example.test"' \
  'serial = 2' \
  'dns_name = "mail.example.test"' \
  'dns_name = "imap.example.test"' \
  'ip_address = "192.0.2.10"' \
  'ip_address = "2001:db8::10"' \
  'activation_date = "2024-01-01 00:00:00"' \
  'expiration_date = "2099-12-31 23:59:59"'

issue expired ca \
  'cn = "expired.example.test"' \
  'serial = 3' \
  'dns_name = "expired.example.test"' \
  'activation_date = "2020-01-01 00:00:00"' \
  'expiration_date = "2021-01-01 00:00:00"'

issue not-yet-valid ca \
  'cn = "future.example.test"' \
  'serial = 4' \
  'dns_name = "future.example.test"' \
  'activation_date = "2090-01-01 00:00:00"' \
  'expiration_date = "2099-12-31 23:59:59"'

issue unknown-ca other-ca \
  'cn = "unknown.example.test"' \
  'serial = 5' \
  'dns_name = "unknown.example.test"' \
  'activation_date = "2024-01-01 00:00:00"' \
  'expiration_date = "2099-12-31 23:59:59"'
# What a server sends: its certificate, then the intermediate/CA.
cat unknown-ca.pem other-ca.pem > unknown-ca-chain.pem

# A home server's certificate: signed by its own key.
key self-signed-key.pem
template self-signed \
  'cn = "self.example.test"' \
  'serial = 6' \
  'dns_name = "self.example.test"' \
  'activation_date = "2024-01-01 00:00:00"' \
  'expiration_date = "2099-12-31 23:59:59"' \
  'tls_www_server' \
  'signing_key'
ct --generate-self-signed --load-privkey self-signed-key.pem \
         --template "$tmp/self-signed.tmpl" --hash=SHA256 --no-text \
         --outfile self-signed.pem

for cert in ca good expired not-yet-valid unknown-ca self-signed; do
  printf '%s ' "$cert"
  ct --fingerprint --hash=sha256 --infile "$cert.pem"
done
