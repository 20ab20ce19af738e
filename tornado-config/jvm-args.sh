#!/usr/bin/env bash
# Prints the JVM options that run vgg4j with the TornadoVM backend, one per line (the format of a
# java @argfile), composed from the TornadoVM installation in $TORNADOVM_HOME.
#
#   tornado-config/jvm-args.sh [--backend opencl|ptx|opencl,ptx] [--device B:D] [--memory MiB] [--test] [--out FILE]
#
#   --backend  TornadoVM backends to load (default $VGG4J_TORNADO_BACKEND, else every backend the
#              installation was built with whose native side loads here: opencl when an OpenCL
#              ICD is installed, ptx when the NVIDIA driver's libcuda.so.1 is).
#   --device   backend:device index pair as TornadoVM numbers them (default $VGG4J_TORNADO_DEVICE,
#              else 0:0, TornadoVM's default device); `tornado --devices` lists them.
#   --memory   the device heap that holds every tensor, MiB (default $VGG4J_TORNADO_MEMORY, else the
#              backend's 1024); also raises TornadoVM's own device memory cap (4 GB) above it.
#   --test     also the flags for tests: a kernel TornadoVM cannot compile fails instead of silently
#              running as plain Java (tornado.recover.bailout=False), and assertions stay off in the
#              Graal compiler, which trips its own assertions under -ea.
#   --out FILE write the options to FILE instead of stdout (then run java @FILE ...).
#
# Without TornadoVM (TORNADOVM_HOME unset or not an installation) it prints nothing and says why on
# stderr, so callers can always prepend its output; the tornado backend then reports itself
# unavailable with that reason.
set -euo pipefail

backend="${VGG4J_TORNADO_BACKEND:-}"
device="${VGG4J_TORNADO_DEVICE:-}"
memory="${VGG4J_TORNADO_MEMORY:-}"
test_flags=false
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --backend) backend="${2:?--backend needs opencl, ptx or opencl,ptx}"; shift 2 ;;
    --device) device="${2:?--device needs backend:device, e.g. 0:0}"; shift 2 ;;
    --memory) memory="${2:?--memory needs the device heap in MiB, e.g. 4096}"; shift 2 ;;
    --test) test_flags=true; shift ;;
    --out) out="${2:?--out needs a file name}"; shift 2 ;;
    *) echo "jvm-args.sh: unknown argument '$1' (expected --backend, --device, --memory, --test or --out)" >&2; exit 2 ;;
  esac
done

emit() {
  if [ -n "$out" ]; then
    mkdir -p "$(dirname "$out")"
    cat >"$out"
  else
    cat
  fi
}

home="${TORNADOVM_HOME:-}"
template=""
if [ -n "$home" ]; then
  for candidate in "$home/tornado-argfile.template" "$home/tornado-argfile"; do
    if [ -f "$candidate" ]; then template="$candidate"; break; fi
  done
  if [ -z "$template" ] && [ -f "$home/bin/gen-tornado-argfile-template.py" ]; then
    built=$(sed -n 's/^tornado.backends=//p' "$home/etc/tornado.backend" 2>/dev/null | sed 's/-backend//g')
    (cd "$home/bin" && python3 gen-tornado-argfile-template.py "${built:-opencl}" >/dev/null)
    template="$home/tornado-argfile.template"
  fi
fi
if [ -z "$home" ] || [ -z "$template" ] || [ ! -f "$template" ]; then
  if [ -z "$home" ]; then
    echo "jvm-args.sh: TORNADOVM_HOME is not set; the tornado backend stays unavailable (see tornado-config/README.md)" >&2
  else
    echo "jvm-args.sh: $home has no tornado-argfile(.template) and no bin/gen-tornado-argfile-template.py: not a TornadoVM installation" >&2
  fi
  : | emit
  exit 0
fi

all_backends="opencl ptx spirv cuda metal"
if [ -z "$backend" ]; then
  # Every backend the installation has whose native side can load here: OpenCL needs an ICD
  # (e.g. PoCL's), PTX needs the NVIDIA driver's libcuda; a driver that cannot load kills the JVM.
  for b in $(grep -o 'tornado\.drivers\.[a-z]*' "$template" | sed 's/tornado\.drivers\.//' | grep -v '^common$' | sort -u); do
    case "$b" in
      opencl) ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1 || continue ;;
      ptx) { ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; } || [ -e /usr/lib/x86_64-linux-gnu/libcuda.so.1 ] || continue ;;
    esac
    backend="${backend:+$backend,}$b"
  done
  if [ -z "$backend" ]; then
    echo "jvm-args.sh: neither an OpenCL ICD (/etc/OpenCL/vendors) nor libcuda.so.1 found; TornadoVM has no device here" >&2
    : | emit
    exit 0
  fi
fi
unwanted=""
for b in $all_backends; do
  case ",$backend," in *",$b,"*) ;; *) unwanted="$unwanted $b" ;; esac
done

{
  # Expand the installation path, drop "." from the module path (vgg4j runs from the class path),
  # and keep only the selected backends' driver modules.
  sed -e "s#\${TORNADOVM_HOME}#$home#g" -e 's#--module-path \.:#--module-path #' -e '/^#/d' -e '/^$/d' "$template" |
  while IFS= read -r line; do
    skip=false
    case "$line" in
      --module-path*)
        # TornadoVM loads every driver found on the module path; list the jars without the unwanted ones.
        jars=""
        for jar in "${line#--module-path }"/*.jar; do
          keep=true
          for b in $unwanted; do
            case "$(basename "$jar")" in "tornado-drivers-$b-"*) keep=false ;; esac
          done
          $keep && jars="${jars:+$jars:}$jar"
        done
        line="--module-path $jars" ;;
    esac
    for b in $unwanted; do
      case "$line" in
        --add-modules*|--enable-native-access*)
          line=$(printf '%s' "$line" | sed -e "s/,tornado\.drivers\.$b\b//g" -e "s/=tornado\.drivers\.$b,/=/" -e "s/=tornado\.drivers\.$b\$//") ;;
        *"tornado.drivers.$b"*) skip=true ;;
      esac
    done
    [ "$line" = "--enable-native-access" ] || [ "$line" = "--enable-native-access=" ] && skip=true
    $skip || printf '%s\n' "$line"
  done
  echo "-Dvgg4j.tornado.backend=$backend"
  # A recorded training step is one task graph of ~200 tasks: TornadoVM's bytecode buffer per graph
  # (4 KiB by default) holds about 50.
  echo "-Dtornado.tvm.maxbytecodesize=1048576"
  if [ -n "$device" ]; then echo "-Dvgg4j.tornado.device=$device"; fi
  if [ -n "$memory" ]; then
    case "$memory" in *[!0-9]*|"") echo "jvm-args.sh: --memory expects MiB as a whole number, got '$memory'" >&2; exit 2 ;; esac
    echo "-Dvgg4j.tornado.memory=$memory"
    echo "-Dtornado.device.memory=$((memory + 512))MB"
  fi
  if $test_flags; then
    echo "-Dtornado.recover.bailout=False"
    echo "-da:jdk.graal.compiler..."
    echo "-da:org.graalvm..."
    echo "-da:jdk.vm.ci..."
  fi
} | emit
