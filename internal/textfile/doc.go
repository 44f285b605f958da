// Package textfile reads files that people or other programs put on disk
// for KI-Check to read: a token file, an allowed_signers file, a report
// and its signature on a share. Such a file may be anything the file
// system can hold, so it reads only regular files (a named pipe would
// block forever, a device like /dev/zero never ends, a symbolic link may
// point anywhere), at most a given size, and says in words what it found
// instead. Text files written on Windows often start with a byte-order
// mark (Notepad writes one); ReadText strips it, ReadExact keeps the bytes
// as they are (a signed report must stay byte for byte).
//
// Errors carry a message id ("textfile.*") and render in the user's
// language (i18n.Texter); Error is English.
package textfile
