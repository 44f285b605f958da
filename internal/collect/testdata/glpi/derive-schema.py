# Generates agent-format.schema.json from FusionInventory agent 2.6's
# lib/FusionInventory/Agent/Inventory.pm (%fields, %checks) plus the types
# and enums this project relies on.
import json, re, sys, collections
src = open(sys.argv[1]).read()
fields_block = re.search(r'my %fields = \((.*?)\n\);', src, re.S).group(1)
sections = collections.OrderedDict()
for m in re.finditer(r'(\w+)\s*=>\s*\[\s*qw/([^/]*)/\s*\]', fields_block):
    sections[m.group(1)] = m.group(2).split()
checks = {}
checks_block = re.search(r'my %checks = \((.*?)\n\);', src, re.S).group(1)
for m in re.finditer(r'(\w+) => \{\s*(\w+) => qr/\^\(([^)]*)\)\$/\s*\}', checks_block):
    checks.setdefault(m.group(1), {})[m.group(2)] = m.group(3).split('|')
single = {'HARDWARE', 'BIOS', 'OPERATINGSYSTEM', 'ACCESSLOG'}  # set* in Inventory.pm; the rest are addEntry lists
# JSON types of the fields KI-Check writes (sizes in MB, clocks in MHz as integers).
integer = {('HARDWARE','MEMORY'), ('CPUS','CORE'), ('CPUS','THREAD'), ('CPUS','SPEED'),
           ('MEMORIES','CAPACITY'), ('MEMORIES','NUMSLOTS'), ('VIDEOS','MEMORY'), ('STORAGES','DISKSIZE')}
chassis = re.search(r'my \$chassis_types = \[(.*?)\];', open(sys.argv[2]).read(), re.S).group(1)
chassis = [c for c in re.findall(r'"([^"]*)"', chassis) if c]
# Strings KI-Check writes; memory speed is digits (MHz) as getCanonicalSpeed returns it.
string = {('HARDWARE','NAME'), ('BIOS','SMANUFACTURER'), ('BIOS','SMODEL'), ('CPUS','NAME'),
          ('CPUS','MANUFACTURER'), ('MEMORIES','CAPTION'), ('MEMORIES','TYPE'), ('VIDEOS','NAME'),
          ('VIDEOS','CHIPSET'), ('STORAGES','NAME'), ('STORAGES','MODEL'), ('STORAGES','DESCRIPTION'),
          ('STORAGES','TYPE'), ('OPERATINGSYSTEM','NAME'), ('OPERATINGSYSTEM','FULL_NAME'),
          ('OPERATINGSYSTEM','VERSION'), ('OPERATINGSYSTEM','ARCH'), ('OPERATINGSYSTEM','KERNEL_NAME'),
          ('OPERATINGSYSTEM','KERNEL_VERSION'), ('ENVS','KEY'), ('ENVS','VAL')}
def field_schema(sec, f):
    if (sec, f) == ('MEMORIES', 'SPEED'):
        return {"type": "string", "pattern": "^[0-9]+$"}
    if (sec, f) in string:
        return {"type": "string"}
    if (sec, f) in integer:
        return {"type": "integer", "minimum": 0}
    if sec in checks and f in checks[sec]:
        return {"type": "string", "enum": checks[sec][f]}
    if (sec, f) == ('HARDWARE', 'CHASSIS_TYPE'):
        return {"type": "string", "enum": chassis}
    return {}
content = collections.OrderedDict()
for sec, fs in sections.items():
    obj = {"type": "object",
           "properties": collections.OrderedDict((f.lower(), field_schema(sec, f)) for f in fs),
           "additionalProperties": False}
    if sec == 'CPUS': obj["required"] = ["name"]
    if sec == 'ENVS': obj["required"] = ["key", "val"]
    content[sec.lower()] = obj if sec in single else {"type": "array", "items": obj}
content['versionclient'] = {"type": "string", "pattern": "^[^ ]+_v[^ ]+$"}
schema = collections.OrderedDict([
  ("$schema", "https://json-schema.org/draft/2020-12/schema"),
  ("title", "GLPI/FusionInventory agent inventory, derived (NOT the upstream inventory_format schema)"),
  ("description", "Sections and fields from FusionInventory agent 2.6 Inventory.pm %fields/%checks, lower-cased as the JSON format names them; see README.md"),
  ("type", "object"),
  ("required", ["action", "deviceid", "itemtype", "content"]),
  ("properties", collections.OrderedDict([
     ("action", {"const": "inventory"}),
     ("deviceid", {"type": "string", "pattern": "^.+-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}-[0-9]{2}$"}),
     ("itemtype", {"const": "Computer"}),
     ("tag", {"type": "string"}),
     ("content", {"type": "object", "required": ["versionclient", "hardware"],
                  "properties": content, "additionalProperties": False}),
  ])),
  ("additionalProperties", False),
])
print(json.dumps(schema, indent=2, ensure_ascii=False))
