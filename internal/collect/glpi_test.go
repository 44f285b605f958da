package collect

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/golden"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/signing"
)

// glpiSchemas compiles every *.schema.json in testdata/glpi: the schema
// derived from the agent's field lists, and any other schema of the format
// put there (see its README), so each written file is checked against all.
func glpiSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "glpi", "*.schema.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no schema in testdata/glpi: %v", err)
	}
	out := map[string]*jsonschema.Schema{}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		sch, err := c.Compile(abs)
		if err != nil {
			t.Fatalf("compile %s: %v", p, err)
		}
		out[filepath.Base(p)] = sch
	}
	return out
}

func validateGLPI(schemas map[string]*jsonschema.Schema, data []byte) error {
	for _, sch := range schemas {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return err
		}
		if err := sch.Validate(inst); err != nil {
			return err
		}
	}
	return nil
}

// makeRichReport signs a report whose inventory has what the generated
// fleet lacks: host name, RAM modules, several drives, two sockets, SMBIOS
// maker and chassis, Linux on ARM, predicted speeds and a verdict twice.
func makeRichReport(t *testing.T, key *signing.Key, created time.Time) (data, sig []byte) {
	t.Helper()
	ok := hardware.StatusOK
	tps := 6.83
	r := report.New(key, created)
	r.Device.Hostname = "RATHAUS-PC-042"
	r.Device.OrgUnit = "Bürgeramt"
	r.Summary.Verdicts = []report.Verdict{
		{Subject: "Bürgeranfrage klassifizieren", UseCase: "anfrage-klassifizieren", Model: "llama3.2-1b", Level: report.LevelLimited, Reason: "Test.", PredictedTokensPerSecond: &tps},
		{Subject: "Bürgeranfrage klassifizieren", UseCase: "anfrage-klassifizieren", Model: "llama3.2-1b", Level: report.LevelReady, Reason: "Test."},
		{Subject: "Ohne Modell", Level: report.LevelUnknown, Reason: "Test."},
	}
	r.Summary.Overall = report.Overall(r.Summary.Verdicts)
	inv := hardware.Inventory{SchemaVersion: 1, CollectedAt: created, Complete: true,
		CPU: hardware.Section[hardware.CPU]{Status: ok, Value: hardware.CPU{Vendor: "ARM", Model: "Neoverse-N1",
			Arch: "arm64", Sockets: 2, PhysicalCores: 64, Threads: 64, BaseMHz: 2999.6, MaxMHz: 3000.4}},
		Memory: hardware.Section[hardware.Memory]{Status: ok, Value: hardware.Memory{TotalBytes: 32<<30 - 300<<20, ModulesKnown: true,
			Modules: []hardware.MemoryModule{{Locator: "DIMM A1", SizeBytes: 16 << 30, SpeedMTs: 5600, Type: "DDR5"}, {Locator: "DIMM B1", SizeBytes: 16 << 30, Type: "DDR5"}}}},
		GPUs: hardware.Section[hardware.GPUList]{Status: ok, Value: hardware.GPUList{Devices: []hardware.GPU{{Vendor: "AMD", Model: "Radeon 780M"}}}},
		NPUs: hardware.Section[hardware.NPUList]{Status: ok, Value: hardware.NPUList{Devices: []hardware.NPU{}}},
		Disk: hardware.Section[hardware.Disk]{Status: ok, Value: hardware.Disk{TotalBytes: 1e12, FreeBytes: 4e11, Kind: "ssd", Drives: []hardware.DiskDrive{
			{Name: "nvme0n1", Model: "Samsung SSD 990 PRO 1TB", SizeBytes: 1000204886016, Kind: "ssd", Controller: "nvme"},
			{Name: "sda", Model: "ST2000DM008", SizeBytes: 2000398934016, Kind: "hdd", Controller: "sata"},
			{Name: "sdb", SizeBytes: 32 << 30, Kind: "unknown", Controller: "usb", Removable: true}}}},
		System: hardware.Section[hardware.System]{Status: ok, Value: hardware.System{OS: "linux", Platform: "ubuntu", PlatformVersion: "24.04",
			KernelVersion: "6.8.0-49-generic", Arch: "arm64", Vendor: "LENOVO", Model: "ThinkStation P3", ChassisType: "10", ChassisDescription: "Notebook", FormFactor: "laptop"}},
		Power: hardware.Section[hardware.Power]{Status: hardware.StatusUnknown, Reason: "test"},
	}
	r.Sections.Inventory = &inv
	return signReport(t, key, r)
}

// TestGLPIExportValidatesAgainstFormat runs the export over a fleet of real
// signed reports (the real headless check's report among them) and checks
// every written file against the format's schema.
func TestGLPIExportValidatesAgainstFormat(t *testing.T) {
	schemas := glpiSchemas(t)
	db := openDB(t)
	realData, err := os.ReadFile(filepath.Join("testdata", "real-check-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	realSig, err := os.ReadFile(filepath.Join("testdata", "real-check-report.json.sig"))
	if err != nil {
		t.Fatal(err)
	}
	items := []Item{{Source: "real", Data: realData, Sig: realSig}}
	rich, richSig := makeRichReport(t, newKey(t), mustTime("2026-11-26T08:30:00Z"))
	items = append(items, Item{Source: "rich", Data: rich, Sig: richSig})
	for i, s := range []spec{{ramGB: 8}, {ramGB: 16, gpu: "RTX A2000", vramGB: 6, orgUnit: "Ordnungsamt",
		verdicts: []report.Verdict{verdict("zusammenfassen", "llama3.2:3b", report.LevelReady, 12)}}, {ramGB: 64, gpu: "RTX 4090", vramGB: 24}} {
		d, sg := makeReport(t, newKey(t), s)
		items = append(items, Item{Source: "gen" + string(rune('a'+i)), Data: d, Sig: sg})
	}
	if sum := runItems(t, NewIntake(db, Trust{Enroll: true}), items...); sum.Accepted != len(items) {
		t.Fatalf("intake: %+v", sum)
	}
	dir := t.TempDir()
	n, err := WriteGLPI(context.Background(), db, dir, GLPIOptions{})
	if err != nil || n != len(items) {
		t.Fatalf("%d files, %v", n, err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != len(items) {
		t.Fatalf("%d files in %s, want %d", len(files), dir, len(items))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateGLPI(schemas, b); err != nil {
			t.Errorf("%s does not validate:\n%v\n%s", filepath.Base(f), err, b)
		}
	}

	// The real report (no host name, no modules, a virtio disk, a linux VM),
	// read back from its own JSON so a newer real report needs no edits here.
	var real report.Report
	if err := json.Unmarshal(realData, &real); err != nil {
		t.Fatal(err)
	}
	id, hw := real.Device.DeviceID, real.Sections.Inventory
	var got glpiInventory
	readGLPI(t, filepath.Join(dir, id+".json"), &got)
	c := got.Content
	if c.Hardware.Name != id || got.DeviceID != id+"-"+real.Created.UTC().Format("2006-01-02-15-04-05") {
		t.Errorf("name %q deviceid %q", c.Hardware.Name, got.DeviceID)
	}
	if c.Hardware.Memory != hw.Memory.Value.TotalBytes/mib || len(c.CPUs) != 1 || c.CPUs[0].Speed != int(hw.CPU.Value.BaseMHz+0.5) ||
		c.CPUs[0].Arch != "x86_64" || c.CPUs[0].Manufacturer != "AMD" {
		t.Errorf("memory %d MB, cpus %+v", c.Hardware.Memory, c.CPUs)
	}
	if len(c.Storages) != 1 || c.Storages[0].DiskSize != hw.Disk.Value.Drives[0].SizeBytes/mib || c.Storages[0].Interface != "" || c.Storages[0].Type != "disk" {
		t.Errorf("storages %+v", c.Storages)
	}
	if c.OperatingSystem == nil || c.OperatingSystem.KernelName != "linux" || c.OperatingSystem.Arch != "x86_64" || c.OperatingSystem.Version != hw.System.Value.PlatformVersion {
		t.Errorf("os %+v", c.OperatingSystem)
	}
	env := envMap(c.Envs)
	if env["KICHECK_OVERALL"] != real.Summary.Overall || env["KICHECK_REPORT_ID"] != real.ReportID {
		t.Errorf("envs %v", env)
	}
	for _, v := range real.Summary.Verdicts {
		key := "KICHECK_VERDICT_" + glpiKeyPart(v.UseCase) + "__" + glpiKeyPart(v.Model)
		if val, ok := env[key]; !ok || !strings.HasPrefix(val, v.Level) || (v.PredictedTokensPerSecond != nil) != strings.Contains(val, "predicted") {
			t.Errorf("env %s = %q for verdict %+v", key, val, v)
		}
	}
}

// TestGLPIExportRichInventory checks the mapping of what the generated and
// the real reports lack.
func TestGLPIExportRichInventory(t *testing.T) {
	db := openDB(t)
	key := newKey(t)
	d, sg := makeRichReport(t, key, mustTime("2026-11-26T08:30:00Z"))
	runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "rich", Data: d, Sig: sg})
	dir := t.TempDir()
	if _, err := WriteGLPI(context.Background(), db, dir, GLPIOptions{}); err != nil {
		t.Fatal(err)
	}
	var got glpiInventory
	readGLPI(t, filepath.Join(dir, key.DeviceID()+".json"), &got)
	c := got.Content
	if got.DeviceID != "RATHAUS-PC-042-2026-11-26-08-30-00" || c.Hardware.Name != "RATHAUS-PC-042" || c.Hardware.ChassisType != "Notebook" {
		t.Errorf("head %q %+v", got.DeviceID, c.Hardware)
	}
	if c.Hardware.Memory != 32*1024-300 || len(c.Memories) != 2 || c.Memories[0] != (glpiMemory{Capacity: 16384, Caption: "DIMM A1", Speed: "5600", Type: "DDR5", NumSlots: 1}) || c.Memories[1].Speed != "" {
		t.Errorf("memory %d, modules %+v", c.Hardware.Memory, c.Memories)
	}
	if len(c.CPUs) != 2 || c.CPUs[0] != (glpiCPU{Name: "Neoverse-N1", Manufacturer: "ARM", Core: 32, Thread: 32, Speed: 3000, Arch: "AArch64"}) {
		t.Errorf("cpus %+v", c.CPUs)
	}
	want := []glpiStorage{
		{Name: "nvme0n1", Model: "Samsung SSD 990 PRO 1TB", Description: "SSD", DiskSize: 1000204886016 / mib, Type: "disk"},
		{Name: "sda", Model: "ST2000DM008", Description: "HDD", DiskSize: 2000398934016 / mib, Type: "disk", Interface: "SATA"},
		{Name: "sdb", DiskSize: 32 * 1024, Type: "removable", Interface: "USB"},
	}
	if len(c.Storages) != len(want) {
		t.Fatalf("storages %+v", c.Storages)
	}
	for i := range want {
		if c.Storages[i] != want[i] {
			t.Errorf("storage %d: %+v, want %+v", i, c.Storages[i], want[i])
		}
	}
	if c.BIOS == nil || *c.BIOS != (glpiBIOS{SManufacturer: "LENOVO", SModel: "ThinkStation P3"}) {
		t.Errorf("bios %+v", c.BIOS)
	}
	if o := c.OperatingSystem; o == nil || *o != (glpiOS{Name: "ubuntu", FullName: "ubuntu 24.04", Version: "24.04", Arch: "aarch64", KernelName: "linux", KernelVersion: "6.8.0-49-generic"}) {
		t.Errorf("os %+v", o)
	}
	env := envMap(c.Envs)
	for k, v := range map[string]string{
		"KICHECK_ORG_UNIT": "Bürgeramt", "KICHECK_OVERALL": report.LevelLimited, "KICHECK_REPORT_CREATED": "2026-11-26T08:30:00Z",
		"KICHECK_VERDICT_ANFRAGE_KLASSIFIZIEREN__LLAMA3_2_1B":   "limited; predicted 6.8 tok/s",
		"KICHECK_VERDICT_ANFRAGE_KLASSIFIZIEREN__LLAMA3_2_1B_2": "ready",
		"KICHECK_VERDICT_OHNE_MODELL":                           "unknown",
		"KICHECK_DEVICE_ID":                                     key.DeviceID(),
	} {
		if env[k] != v {
			t.Errorf("env %s = %q, want %q", k, env[k], v)
		}
	}
}

// TestGLPIExport checks units (MB), that the newest report is exported and
// that the deviceid stays that of the device's first report.
func TestGLPIExport(t *testing.T) {
	db := openDB(t)
	key := newKey(t)
	old, oldSig := makeReport(t, key, spec{ramGB: 8})
	cur, curSig := makeReport(t, key, spec{ramGB: 16, gpu: "RTX A2000", vramGB: 6, created: mustTime("2026-11-25T10:00:00Z"),
		verdicts: []report.Verdict{verdict("zusammenfassen", "llama3.2:3b", report.LevelReady, 12)}})
	runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "a", Data: cur, Sig: curSig}, Item{Source: "b", Data: old, Sig: oldSig})
	dir := t.TempDir()
	n, err := WriteGLPI(context.Background(), db, dir, GLPIOptions{})
	if err != nil || n != 1 {
		t.Fatalf("%d files, %v", n, err)
	}
	var inv glpiInventory
	readGLPI(t, filepath.Join(dir, key.DeviceID()+".json"), &inv)
	raw, err := os.ReadFile(filepath.Join(dir, key.DeviceID()+".json"))
	if err != nil {
		t.Fatal(err)
	}
	// The device's key, the report id and the build's version change per
	// run: masked.
	stable := strings.ReplaceAll(string(raw), key.DeviceID(), "geraet")
	stable = regexp.MustCompile(`KI-Check_v[^"]*`).ReplaceAllString(stable, "KI-Check_v<version>")
	stable = regexp.MustCompile(`SHA256:[A-Za-z0-9+/]+`).ReplaceAllString(stable, "SHA256:<schluessel>")
	stable = regexp.MustCompile(`("KICHECK_REPORT_ID",\s+"val": )"[0-9a-f]+"`).ReplaceAllString(stable, `$1"<bericht>"`)
	golden.CheckString(t, "glpi-inventory.json.golden", stable)
	c := inv.Content
	// makeReport's default time (2026-11-20 09:00) is the older report's.
	if inv.ItemType != "Computer" || inv.Action != "inventory" || inv.DeviceID != key.DeviceID()+"-2026-11-20-09-00-00" {
		t.Errorf("head: %+v", inv)
	}
	if !strings.HasPrefix(c.VersionClient, "KI-Check_v") || strings.Contains(c.VersionClient, " ") {
		t.Errorf("versionclient %q", c.VersionClient)
	}
	if c.Hardware.Memory != 16*1024 || len(c.Videos) != 1 || c.Videos[0].Memory != 6*1024 || c.Videos[0].Name != "RTX A2000" {
		t.Errorf("memory %d MB, videos %+v", c.Hardware.Memory, c.Videos)
	}
	if len(c.CPUs) != 1 || c.CPUs[0].Thread != 12 || c.CPUs[0].Manufacturer != "Intel" || c.OperatingSystem.FullName != "Microsoft Windows 11 Pro" ||
		c.OperatingSystem.Name != "Windows" || c.OperatingSystem.Arch != "64-bit" {
		t.Errorf("cpus %+v os %+v", c.CPUs, c.OperatingSystem)
	}
	if env := envMap(c.Envs); env["KICHECK_OVERALL"] != report.LevelReady || env["KICHECK_VERDICT_ZUSAMMENFASSEN__LLAMA3_2_3B"] != "ready; measured 12.0 tok/s" {
		t.Errorf("envs %v", env)
	}
}

// TestGLPISchemaRejects shows the schema check can fail: each change below
// is a mistake the export must not make (the earlier export made the first
// two), and the schema refuses each.
func TestGLPISchemaRejects(t *testing.T) {
	schemas := glpiSchemas(t)
	db := openDB(t)
	d, sg := makeRichReport(t, newKey(t), mustTime("2026-11-26T08:30:00Z"))
	runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "rich", Data: d, Sig: sg})
	dir := t.TempDir()
	if _, err := WriteGLPI(context.Background(), db, dir, GLPIOptions{}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := validateGLPI(schemas, good); err != nil {
		t.Fatalf("export itself does not validate: %v", err)
	}
	for name, change := range map[string]func(doc map[string]any){
		"own section under content": func(doc map[string]any) { content(doc)["kicheck"] = map[string]any{"overall": "ready"} },
		"cpu arch as Go names it":   func(doc map[string]any) { first(content(doc), "cpus")["arch"] = "amd64" },
		"memory as text":            func(doc map[string]any) { content(doc)["hardware"].(map[string]any)["memory"] = "32468 MB" },
		"unknown hardware field":    func(doc map[string]any) { content(doc)["hardware"].(map[string]any)["ram_gb"] = 32 },
		"disk size with fraction":   func(doc map[string]any) { first(content(doc), "storages")["disksize"] = 953869.7 },
		"interface not listed":      func(doc map[string]any) { first(content(doc), "storages")["interface"] = "NVMe" },
		"memory speed with unit":    func(doc map[string]any) { first(content(doc), "memories")["speed"] = "5600 MT/s" },
		"deviceid without time":     func(doc map[string]any) { doc["deviceid"] = "RATHAUS-PC-042" },
		"no versionclient":          func(doc map[string]any) { delete(content(doc), "versionclient") },
		"blank in versionclient":    func(doc map[string]any) { content(doc)["versionclient"] = "KI-Check v1" },
		"itemtype missing":          func(doc map[string]any) { delete(doc, "itemtype") },
		"chassis not listed":        func(doc map[string]any) { content(doc)["hardware"].(map[string]any)["chassis_type"] = "laptop" },
	} {
		var doc map[string]any
		if err := json.Unmarshal(good, &doc); err != nil {
			t.Fatal(err)
		}
		change(doc)
		b, _ := json.Marshal(doc)
		if err := validateGLPI(schemas, b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func content(doc map[string]any) map[string]any { return doc["content"].(map[string]any) }

func first(c map[string]any, section string) map[string]any {
	return c[section].([]any)[0].(map[string]any)
}

func readGLPI(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func envMap(envs []glpiEnv) map[string]string {
	m := map[string]string{}
	for _, e := range envs {
		m[e.Key] = e.Val
	}
	return m
}

// TestGLPIExtraProperty: with ExtraProperty the results also go under
// content.kicheck. The agent format refuses that property (so it is off by
// default); a GLPI whose plugin registers it as an extra property, modelled
// here by adding it to the schema, accepts the file.
func TestGLPIExtraProperty(t *testing.T) {
	db := openDB(t)
	data, sig := readReport(t, "real-check-report.json")
	if sum := runItems(t, NewIntake(db, Trust{Enroll: true}), Item{Source: "real", Data: data, Sig: sig}); sum.Accepted != 1 {
		t.Fatalf("%+v", sum)
	}
	dir := t.TempDir()
	if _, err := WriteGLPI(context.Background(), db, dir, GLPIOptions{ExtraProperty: true}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Fatalf("%d files", len(files))
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var real report.Report
	if err := json.Unmarshal(data, &real); err != nil {
		t.Fatal(err)
	}
	var got glpiInventory
	readGLPI(t, files[0], &got)
	k := got.Content.KICheck
	if k == nil || k.ReportID != real.ReportID || k.Overall != real.Summary.Overall || len(k.Verdicts) != len(real.Summary.Verdicts) {
		t.Fatalf("content.kicheck %+v", k)
	}
	for i, v := range k.Verdicts {
		if v.ReadyWithRAMGB == nil || *v.ReadyWithRAMGB != real.Sections.Fit.UseCases[i].ReadyWithRAMGB || v.Level != real.Summary.Verdicts[i].Level {
			t.Errorf("verdict %d: %+v", i, v)
		}
	}
	if envMap(got.Content.Envs)["KICHECK_REPORT_ID"] != real.ReportID {
		t.Error("the envs entries are missing next to the extra property")
	}

	schemas := glpiSchemas(t)
	if err := validateGLPI(schemas, b); err == nil {
		t.Error("the agent format accepted content.kicheck; then it need not be optional")
	}
	// A plugin registering the property: the same schema with kicheck
	// allowed under content.
	registered := map[string]*jsonschema.Schema{}
	for name := range schemas {
		raw, err := os.ReadFile(filepath.Join("testdata", "glpi", name))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatal(err)
		}
		content := doc["properties"].(map[string]any)["content"].(map[string]any)
		content["properties"].(map[string]any)["kicheck"] = map[string]any{"type": "object", "required": []any{"device_id", "overall", "verdicts"}}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("registered.json", doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("registered.json")
		if err != nil {
			t.Fatal(err)
		}
		registered[name] = sch
	}
	if err := validateGLPI(registered, b); err != nil {
		t.Errorf("with the property registered the file does not validate: %v", err)
	}
}
