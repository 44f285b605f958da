#!/usr/bin/env bash
# Authenticode-signs Windows files (exe, msi) in place with osslsigncode,
# when a code-signing certificate is configured; otherwise says so and
# leaves the files unsigned. Configuration (environment):
#   KICHECK_SIGN_CERT + KICHECK_SIGN_KEY   PEM certificate (chain) and key
#   KICHECK_SIGN_PKCS12 [+ KICHECK_SIGN_PASSFILE]  a .p12/.pfx file and a
#                                          file holding its password
#   KICHECK_SIGN_TIMESTAMP                 optional RFC 3161 timestamp URL
#                                          (keeps signatures valid after
#                                          the certificate expires)
# Usage: scripts/sign.sh FILE...
set -euo pipefail
args=()
if [ -n "${KICHECK_SIGN_PKCS12:-}" ]; then
  args=(-pkcs12 "$KICHECK_SIGN_PKCS12")
  if [ -n "${KICHECK_SIGN_PASSFILE:-}" ]; then
    args+=(-readpass "$KICHECK_SIGN_PASSFILE")
  fi
elif [ -n "${KICHECK_SIGN_CERT:-}" ] && [ -n "${KICHECK_SIGN_KEY:-}" ]; then
  args=(-certs "$KICHECK_SIGN_CERT" -key "$KICHECK_SIGN_KEY")
else
  echo "sign: no certificate configured (KICHECK_SIGN_CERT/KICHECK_SIGN_KEY or KICHECK_SIGN_PKCS12); $* left unsigned" >&2
  exit 0
fi
if [ -n "${KICHECK_SIGN_TIMESTAMP:-}" ]; then
  args+=(-ts "$KICHECK_SIGN_TIMESTAMP")
fi
for f in "$@"; do
  osslsigncode sign "${args[@]}" -h sha256 -n "KI-Check" -i "https://www.halle.de" \
    -in "$f" -out "$f.signed" >/dev/null
  mv -f "$f.signed" "$f"
  echo "sign: signed $f"
done
