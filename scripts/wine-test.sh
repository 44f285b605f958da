#!/usr/bin/env bash
# Runs the Windows build for real, under Wine on Xvfb (make test, after
# make windows). In a fresh Wine prefix in a temp folder it
#   1. signs copies of dist/kicheck.exe and dist/kicheck-cli.exe with a
#      throwaway code-signing certificate, packs and signs the MSI
#      (scripts/msi.sh, the same path as `make windows` with KICHECK_SIGN_*)
#      and checks all three with `osslsigncode verify`;
#   2. installs the MSI silently with the rollout properties and checks
#      Program Files, the Start-menu entry, the uninstall entry (version,
#      publisher), App Paths and %ProgramData%\KI-Check\policy.yaml;
#   3. runs the installed kicheck-cli.exe: version, hardware --json (must
#      name the processor), check --headless --out, and verifies that report
#      with the Linux ssh-keygen -Y verify;
#   4. starts the installed GUI kicheck.exe, screenshots the Übersicht
#      (KICHECK_WINE_SHOTS=DIR keeps it), switches screens with Ctrl+2…;
#   5. uninstalls silently and checks that the program files are gone and
#      the user's data (%APPDATA%\KI-Check) stayed.
# Where Wine differs from Windows it says so ("wine:" lines).
#
# Wine 8 (Debian 12) lacks bcryptprimitives.dll, without whose ProcessPrng
# Go's runtime does not start; scripts/wine/bcryptprimitives.c is built with
# mingw into the prefix's system32 (test only, never shipped).
# Every step is bounded with timeout. KICHECK_DISPLAY=:N uses a running X
# server instead of starting Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. scripts/xvfb.sh
for f in dist/kicheck.exe dist/kicheck-cli.exe; do
  [ -f "$f" ] || { echo "wine-test: $f missing; run make windows" >&2; exit 1; }
done
tmp=$(mktemp -d)
cleanup() {
  set +e
  if [ -n "${gui_pid:-}" ]; then kill "$gui_pid" 2>/dev/null; fi
  WINEPREFIX="$tmp/pfx" timeout 20 wineserver -k 2>/dev/null
  if [ -n "${XVFB_PID:-}" ]; then kill "$XVFB_PID" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "wine-test: FAIL: $*" >&2; exit 1; }
step() { echo "wine-test: $*"; }

if [ -n "${KICHECK_DISPLAY:-}" ]; then export DISPLAY=$KICHECK_DISPLAY; else start_xvfb; trap cleanup EXIT; fi
export WINEPREFIX="$tmp/pfx" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
w() { timeout "$1" wine "${@:2}"; }

# 1. Sign with a throwaway certificate and pack the MSI.
step "signing with a throwaway certificate"
openssl req -x509 -newkey rsa:3072 -nodes -days 2 -subj "/CN=KI-Check Testsignatur/O=KI-Check Test" \
  -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
  -keyout "$tmp/sign.key" -out "$tmp/sign.crt" 2>/dev/null
mkdir "$tmp/dist" "$tmp/old"
cp dist/kicheck.exe dist/kicheck-cli.exe "$tmp/dist/"
# An "older release" (v0.0.1, unsigned) for the major-upgrade check.
cp dist/kicheck.exe dist/kicheck-cli.exe "$tmp/old/"
env -u KICHECK_SIGN_CERT -u KICHECK_SIGN_KEY -u KICHECK_SIGN_PKCS12 KICHECK_DIST="$tmp/old" \
  timeout 300 scripts/msi.sh v0.0.1 >/dev/null 2>&1 || fail "msi.sh v0.0.1"
KICHECK_DIST="$tmp/dist" KICHECK_SIGN_CERT="$tmp/sign.crt" KICHECK_SIGN_KEY="$tmp/sign.key" \
  timeout 300 scripts/msi.sh "${KICHECK_VERSION:-}" 2> >(grep -v -e GLib -e '^$' >&2)
for f in kicheck.exe kicheck-cli.exe kicheck.msi; do
  out=$(timeout 60 osslsigncode verify -CAfile "$tmp/sign.crt" -in "$tmp/dist/$f" 2>&1) || { echo "$out"; fail "osslsigncode verify $f"; }
  grep -q "Signature verification: ok" <<<"$out" || { echo "$out"; fail "$f: signature not ok"; }
  grep -q "KI-Check Testsignatur" <<<"$out" || fail "$f: signer not named"
  step "osslsigncode verify $f: ok"
  [ "$f" = kicheck.msi ] && printf '%s\n' "$out" > "$tmp/verify-msi.txt"
done
# The check can fail: a changed byte in a signed file must not verify.
cp "$tmp/dist/kicheck-cli.exe" "$tmp/tampered.exe"
printf 'X' | dd of="$tmp/tampered.exe" bs=1 seek=4096 conv=notrunc status=none
if timeout 60 osslsigncode verify -CAfile "$tmp/sign.crt" -in "$tmp/tampered.exe" 2>&1 | grep -q "Signature verification: ok"; then
  fail "a tampered exe still verifies"
fi
step "osslsigncode verify of a tampered copy fails: ok"
[ -n "${KICHECK_WINE_SHOTS:-}" ] && mkdir -p "$KICHECK_WINE_SHOTS" && cp "$tmp/verify-msi.txt" "$KICHECK_WINE_SHOTS/osslsigncode-verify.txt"

# 2. A fresh prefix, the shim, the silent install.
step "creating the Wine prefix"
w 600 wineboot -i >/dev/null 2>&1 || fail "wineboot"
sys32="$WINEPREFIX/drive_c/windows/system32"
if [ -f "$sys32/bcryptprimitives.dll" ] && ! grep -q "Wine placeholder" "$sys32/bcryptprimitives.dll" 2>/dev/null; then
  step "wine: this Wine has bcryptprimitives.dll, no shim needed"
else
  step "wine: no bcryptprimitives.dll (Windows has it since 8); installing the test shim"
  x86_64-w64-mingw32-gcc -shared -O2 -o "$sys32/bcryptprimitives.dll" scripts/wine/bcryptprimitives.c
fi
step "msiexec /i of the older release 0.0.1, then the new MSI over it (major upgrade)"
w 300 msiexec /i "$(winepath -w "$tmp/old/kicheck.msi" 2>/dev/null)" /qn || fail "msiexec /i of 0.0.1"
msi_win=$(winepath -w "$tmp/dist/kicheck.msi" 2>/dev/null)
step "msiexec /i kicheck.msi /qn ORGUNIT=\"Amt 10 Hauptamt\" UPLOADURL=https://kicheck.example.invalid/upload INCLUDEHOSTNAME=0 POLICYID=muster"
w 300 msiexec /i "$msi_win" /qn /l*v 'C:\install.log' 'ORGUNIT=Amt 10 Hauptamt' UPLOADURL=https://kicheck.example.invalid/upload INCLUDEHOSTNAME=0 POLICYID=muster \
  || { iconv -f utf-16 -t utf-8 "$WINEPREFIX/drive_c/install.log" 2>/dev/null | tail -40; fail "msiexec /i"; }
pf="$WINEPREFIX/drive_c/Program Files/KI-Check"
[ -f "$pf/kicheck.exe" ] && [ -f "$pf/kicheck-cli.exe" ] || fail "not installed to Program Files\\KI-Check: $(ls "$WINEPREFIX/drive_c/Program Files")"
step "installed to C:\\Program Files\\KI-Check"
lnk=$(find "$WINEPREFIX/drive_c" -path '*Start Menu/Programs/KI-Check.lnk' | head -1)
[ -n "$lnk" ] || fail "no Start-menu entry"
step "Start-menu entry: ${lnk#$WINEPREFIX/drive_c/}"
msiinfo export "$tmp/dist/kicheck.msi" Shortcut | tr -d '\r' | grep -q $'^StartMenuAccessible\tProgramMenuFolder\tKI-Check (barrierefreie Ansicht)\tCLI\t.*--accessible' \
  || fail "the MSI has no Start-menu entry for the accessible view (kicheck-cli.exe --accessible)"
lnk2=$(find "$WINEPREFIX/drive_c" -path '*Start Menu/Programs/KI-Check (barrierefreie Ansicht).lnk' | head -1)
[ -n "$lnk2" ] && tr -d '\0' <"$lnk2" | grep -aq -- '--accessible' || fail "no Start-menu entry 'KI-Check (barrierefreie Ansicht)' running --accessible"
step "Start-menu entry: ${lnk2#$WINEPREFIX/drive_c/} (kicheck-cli.exe --accessible)"
case $lnk in *ProgramData*) ;; *) step "wine: Wine's msi puts the shortcut of a per-machine (ALLUSERS=1) package into the installing user's Start menu; Windows puts it into C:\ProgramData\Microsoft\Windows\Start Menu\Programs";; esac
unreg=$(w 60 reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s 2>/dev/null | tr -d '\r' || true)
grep -aq "DisplayName.*KI-Check" <<<"$unreg" || fail "no uninstall entry (reg query printed $(wc -l <<<"$unreg") lines: $(head -c 300 <<<"$unreg"))"
msiver=$(msiinfo export "$tmp/dist/kicheck.msi" Property | tr -d '\r' | sed -n 's/^ProductVersion\t//p')
grep -aq "DisplayVersion.*$msiver" <<<"$unreg" || fail "uninstall entry lacks version $msiver"
grep -aq "Publisher.*KI-Reise" <<<"$unreg" || fail "uninstall entry lacks the publisher"
[ "$(grep -ac 'DisplayName.*KI-Check' <<<"$unreg")" = 1 ] && ! grep -aq 'DisplayVersion.*0\.0\.1$' <<<"$unreg" || fail "the older release was not replaced: $(grep -a 'DisplayVersion' <<<"$unreg")"
step "uninstall entry: KI-Check $msiver, publisher KI-Reise; 0.0.1 replaced (one entry)"
apppath=$(w 60 reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\App Paths\kicheck-cli.exe' 2>/dev/null || true)
grep -qi 'KI-Check\\kicheck-cli.exe' <<<"$apppath" || fail "no App Paths entry: $apppath"
pol="$WINEPREFIX/drive_c/ProgramData/KI-Check/policy.yaml"
[ -f "$pol" ] || fail "no policy.yaml from the MSI properties"
grep -q 'org_unit: Amt 10 Hauptamt' "$pol" && grep -q 'upload_url: https://kicheck.example.invalid/upload' "$pol" \
  && grep -q 'include_hostname: false' "$pol" && grep -q 'ki_policy: muster' "$pol" || { cat "$pol"; fail "policy.yaml does not carry the properties"; }
step "policy.yaml from the properties: ok"

# 3. The installed CLI.
cli='C:\Program Files\KI-Check\kicheck-cli.exe'
ver=$(w 120 "$cli" version | tr -d '\r')
grep -q "windows/amd64" <<<"$ver" || fail "version: $ver"
step "kicheck-cli.exe version: $ver"
w 120 "$cli" hardware --json | tr -d '\r' > "$tmp/hw.json" || fail "hardware --json"
model=$(jq -r '.cpu.model // ""' "$tmp/hw.json")
[ -n "$model" ] || { jq .cpu "$tmp/hw.json"; fail "hardware does not name the processor"; }
step "hardware --json: processor \"$model\" (model from $(jq -r .cpu.sources.model "$tmp/hw.json"), cores from $(jq -r '.cpu.sources.physical_cores // "-"' "$tmp/hw.json"), clock from $(jq -r '.cpu.sources.base_mhz // "-"' "$tmp/hw.json"))"
[ -n "${KICHECK_WINE_SHOTS:-}" ] && { w 120 "$cli" hardware | tr -d '\r' > "$KICHECK_WINE_SHOTS/hardware.txt"; cp "$tmp/hw.json" "$KICHECK_WINE_SHOTS/hardware.json"; }
for s in gpus npus; do
  [ "$(jq -r ".$s.status" "$tmp/hw.json")" = ok ] || step "wine: $s unknown: $(jq -r ".$s.reason" "$tmp/hw.json") (Wine has no WMI video/NPU device classes)"
done
mkdir "$tmp/out"
set +e
w 600 "$cli" check --headless --timeout 4m --out "$(winepath -w "$tmp/out")" > "$tmp/check.log" 2>&1
rc=$?
set -e
# 0 ready, 10 limited, 20 not ready are verdicts; 1 is an error.
case $rc in 0|10|20) ;; *) cat "$tmp/check.log"; fail "check --headless exited $rc";; esac
rep=$(ls "$tmp/out"/*.json | head -1)
[ -f "$rep" ] && [ -f "$rep.sig" ] || fail "no signed report in --out: $(ls "$tmp/out")"
signer=$(w 60 "$cli" key show | tr -d '\r' | grep 'namespaces=' | head -1)
id=${signer%% *}
echo "$signer" > "$tmp/allowed_signers"
ssh-keygen -Y verify -f "$tmp/allowed_signers" -I "$id" -n kicheck-report-v1 -s "$rep.sig" < "$rep" || fail "ssh-keygen -Y verify of the report"
step "check --headless: $(basename "$rep") verified with ssh-keygen -Y verify"

# 4. The installed GUI.
data="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/KI-Check"
wine 'C:\Program Files\KI-Check\kicheck.exe' > "$tmp/gui.log" 2>&1 &
gui_pid=$!
win=""
for _ in $(seq 600); do
  win=$(xdotool search --name '^KI-Check$' 2>/dev/null | head -1) && [ -n "$win" ] && break
  kill -0 $gui_pid 2>/dev/null || break
  sleep 0.2
done
[ -n "$win" ] || { cat "$tmp/gui.log"; fail "no KI-Check window under Wine"; }
focus_window "$win"
sleep 8
shot="$tmp/uebersicht.png"
import -window root "$shot"
[ -n "${KICHECK_WINE_SHOTS:-}" ] && cp "$shot" "$KICHECK_WINE_SHOTS/wine-uebersicht.png"
# Ctrl+2 must really switch to the Hardware screen: the picture changes.
xdotool key ctrl+2; sleep 3
import -window root "$tmp/hardware.png"
[ -n "${KICHECK_WINE_SHOTS:-}" ] && cp "$tmp/hardware.png" "$KICHECK_WINE_SHOTS/wine-hardware.png"
diff=$(compare -metric AE "$shot" "$tmp/hardware.png" null: 2>&1 || true)
[ "${diff%% *}" != 0 ] || fail "Ctrl+2 did not change the screen"
for k in 3 4 5 6 7 8 9 1; do xdotool key ctrl+$k; sleep 1; done
kill -0 $gui_pid 2>/dev/null || { cat "$tmp/gui.log"; fail "the GUI died while switching screens"; }
step "GUI window opened, Übersicht shown, Ctrl+2 reached the Hardware screen ($diff pixels changed), Ctrl+3…9, Ctrl+1 without a crash"
kill $gui_pid 2>/dev/null; wait $gui_pid 2>/dev/null || true; gui_pid=
timeout 30 wineserver -k 2>/dev/null || true

# 5. Uninstall.
[ -d "$data" ] || fail "no user data in %APPDATA%\\KI-Check before uninstalling"
w 300 msiexec /x "$msi_win" /qn || fail "msiexec /x"
[ ! -e "$pf/kicheck.exe" ] && [ ! -e "$pf/kicheck-cli.exe" ] || fail "program files left after uninstall"
[ -z "$(find "$WINEPREFIX/drive_c" -path '*Start Menu/Programs/KI-Check.lnk')" ] || fail "Start-menu entry left after uninstall"
[ -d "$data" ] && [ -n "$(ls -A "$data")" ] || fail "user data removed by uninstall"
step "uninstalled: program files gone, user data in %APPDATA%\\KI-Check kept, policy.yaml $( [ -f "$pol" ] && echo kept || echo removed)"
echo "wine-test: ok"
