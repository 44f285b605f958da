package hardware

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeMachine builds the sysfs/procfs tree of another machine in a temp
// folder, the way ghw's snapshots do (plain files and symlinks that ghw
// and the package's own readers follow), so the inventory can be tested
// against machine shapes this build machine is not: a laptop with two AMD
// GPUs, a desktop with an Intel NPU and an NVIDIA card.
type fakeMachine struct {
	t    *testing.T
	root string
}

func newFakeMachine(t *testing.T) *fakeMachine {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("sysfs trees are read on Linux only")
	}
	m := &fakeMachine{t: t, root: t.TempDir()}
	m.dir("sys/bus/pci/devices")
	m.dir("sys/class/drm")
	m.dir("sys/block")
	m.file("proc/self/mounts", "")
	return m
}

func (m *fakeMachine) dir(rel string) {
	m.t.Helper()
	if err := os.MkdirAll(filepath.Join(m.root, rel), 0o755); err != nil {
		m.t.Fatal(err)
	}
}

func (m *fakeMachine) file(rel, content string) {
	m.t.Helper()
	p := filepath.Join(m.root, rel)
	m.dir(filepath.Dir(rel))
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

func (m *fakeMachine) symlink(rel, target string) {
	m.t.Helper()
	m.dir(filepath.Dir(rel))
	if err := os.Symlink(target, filepath.Join(m.root, rel)); err != nil {
		m.t.Fatal(err)
	}
}

// pciDevice adds a PCI device: vendor and device ids (4 hex digits), the
// 6-digit class code (e.g. "030000" VGA, "120000" accelerator) and the
// bound driver ("" for none). It returns the device's sysfs folder.
func (m *fakeMachine) pciDevice(addr, vendor, device, class, driver string) string {
	m.t.Helper()
	rel := "sys/devices/pci0000:00/" + addr
	modalias := fmt.Sprintf("pci:v0000%sd0000%ssv00001234sd00005678bc%ssc%si%s",
		strings.ToUpper(vendor), strings.ToUpper(device), class[0:2], class[2:4], class[4:6])
	m.file(rel+"/modalias", modalias+"\n")
	m.file(rel+"/vendor", "0x"+vendor+"\n")
	m.file(rel+"/device", "0x"+device+"\n")
	m.file(rel+"/class", "0x"+class+"\n")
	m.file(rel+"/revision", "0x01\n")
	m.symlink("sys/bus/pci/devices/"+addr, "../../../devices/pci0000:00/"+addr)
	if driver != "" {
		m.dir("sys/bus/pci/drivers/" + driver)
		m.symlink(rel+"/driver", "../../../bus/pci/drivers/"+driver)
	}
	return rel
}

// drmCard makes the PCI device at addr DRM card n, as the kernel does for
// every graphics adapter with a driver.
func (m *fakeMachine) drmCard(n int, addr string) {
	m.t.Helper()
	card := fmt.Sprintf("card%d", n)
	m.dir("sys/devices/pci0000:00/" + addr + "/drm/" + card)
	m.symlink("sys/devices/pci0000:00/"+addr+"/drm/"+card+"/device", "../..")
	m.symlink("sys/class/drm/"+card, "../../devices/pci0000:00/"+addr+"/drm/"+card)
}

// dmi sets what /sys/class/dmi/id tells about the machine.
func (m *fakeMachine) dmi(vendor, product, family, chassisType string) {
	m.file("sys/class/dmi/id/sys_vendor", vendor+"\n")
	m.file("sys/class/dmi/id/product_name", product+"\n")
	m.file("sys/class/dmi/id/product_family", family+"\n")
	m.file("sys/class/dmi/id/chassis_type", chassisType+"\n")
	m.file("sys/class/dmi/id/chassis_vendor", vendor+"\n")
}

// disk adds a block device with one partition mounted at mountPoint.
func (m *fakeMachine) disk(name, part string, sizeBytes uint64, rotational bool, mountPoint string) {
	rot := "0"
	if rotational {
		rot = "1"
	}
	m.file("sys/block/"+name+"/size", fmt.Sprint(sizeBytes/512)+"\n")
	m.file("sys/block/"+name+"/queue/rotational", rot+"\n")
	m.file("sys/block/"+name+"/queue/physical_block_size", "512\n")
	m.file("sys/block/"+name+"/queue/logical_block_size", "512\n")
	m.file("sys/block/"+name+"/removable", "0\n")
	m.file("sys/block/"+name+"/"+part+"/size", fmt.Sprint(sizeBytes/512-2048)+"\n")
	mounts, _ := os.ReadFile(filepath.Join(m.root, "proc/self/mounts"))
	m.file("proc/self/mounts", string(mounts)+"/dev/"+part+" "+mountPoint+" ext4 rw,relatime 0 0\n")
}

// powerSupply adds an entry to /sys/class/power_supply.
func (m *fakeMachine) powerSupply(name string, attrs map[string]string) {
	for k, v := range attrs {
		m.file("sys/class/power_supply/"+name+"/"+k, v+"\n")
	}
}

// nvidiaSMIScript writes a tiny nvidia-smi stand-in: a real program that
// prints a recorded answer from testdata (or fails, or hangs), so the
// package's runner, its timeout and its parser are exercised as with the
// real tool.
func nvidiaSMIScript(t *testing.T, body string) string {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh to stand in for nvidia-smi")
	}
	p := filepath.Join(t.TempDir(), "nvidia-smi")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// recordedNvidiaSMI is a script printing testdata/nvidia-smi/<name>, after
// checking it was asked the query the package documents.
func recordedNvidiaSMI(t *testing.T, name string) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("testdata", "nvidia-smi", name))
	if err != nil {
		t.Fatal(err)
	}
	return nvidiaSMIScript(t, fmt.Sprintf(`[ "$1" = "--query-gpu=%s" ] && [ "$2" = "--format=csv,noheader,nounits" ] || { echo "unexpected arguments: $*" >&2; exit 2; }
exec cat '%s'`, nvidiaSMIQuery, abs))
}
