// Package atomicfile writes a file whole or not at all: the data goes to a
// temporary file in the same folder, is flushed to disk and then renamed
// over the target, so a reader, a crash or a full disk never leaves half a
// report, export or settings file behind.
package atomicfile
