// Package signing holds the installation's signing key and signs and
// verifies KI-Check reports as OpenSSH signatures (SSHSIG).
//
// Every installation generates an Ed25519 key pair on first use and keeps
// it in the data dir: keys/report_ed25519 (OpenSSH private key format, file
// mode 0600, readable by ssh-keygen) and keys/report_ed25519.pub. The
// device id is derived from the public key (see DeviceID), so it is random
// per installation and says nothing about the hardware. Rotating the key
// gives a new device id; the old public keys are kept in keys/history.json.
//
// Signatures are made over the exact bytes of a report file with the
// namespace "kicheck-report-v1" and armored exactly like `ssh-keygen -Y
// sign` writes them, so IT can check a report with the ssh-keygen that
// ships with Windows and Linux:
//
//	ssh-keygen -Y verify -f allowed_signers -I DEVICE-ID -n kicheck-report-v1 -s NAME.json.sig < NAME.json
//
// The package also reads OpenSSH allowed_signers files (allowed.go) and
// matches principals, namespaces and validity the way ssh-keygen does; the
// tests compare both with the real ssh-keygen.
package signing
