package hardware

import "testing"

func TestParseOSRelease(t *testing.T) {
	id, v := parseOSRelease("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n")
	if id != "debian" || v != "12" {
		t.Errorf("got %q %q", id, v)
	}
	id, v = parseOSRelease("NAME=\"Ubuntu\"\nVERSION_ID='24.04'\nID=ubuntu\nID_LIKE=debian\n")
	if id != "ubuntu" || v != "24.04" {
		t.Errorf("got %q %q", id, v)
	}
}
