#!/usr/bin/env python3
"""Measurements and report for scripts/bench; run through that script.

`measure` times one `dts stop` against one `curl` POST of the same request,
alternating the two, and a batch of 1,000 stops; `report` adds the signer's
criterion medians and the binary's size, prints the table and writes it
into BENCHMARKS.md between its two result markers.

Wall time is taken around each process with a monotonic clock. Peak memory
comes from GNU time's %M, in separate runs: getrusage() of a child spawned
from Python reports Python's own peak when the child's is smaller, since the
child starts as a copy of (or shares) the parent's address space.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import uuid

KEY_ID = "emulator"
SECRET = "emulator-secret"
REGION = "cn-hangzhou"
# The batch's shape, fixed by the targets: 1,000 jobs, 16 at a time.
BATCH_JOBS = 1000
BATCH_CONCURRENCY = 16
# No single process of the benchmark may run longer than this.
PROCESS_TIMEOUT_S = 120
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def fail(message):
    print(f"scripts/bench: {message}", file=sys.stderr)
    sys.exit(1)


def tail(stderr):
    """The last line of a process's stderr, cut to a readable length."""
    lines = stderr.decode(errors="replace").strip().splitlines() or [""]
    return lines[-1] if len(lines[-1]) <= 300 else lines[-1][:300] + "..."


def dts_env(home, url):
    """A clean environment: no profile, no proxy, no SSL_CERT_FILE."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "LC_ALL": "C",
        "ALIBABA_CLOUD_ACCESS_KEY_ID": KEY_ID,
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": SECRET,
        "ALIBABA_CLOUD_REGION_ID": REGION,
        "DTS_ENDPOINT": url,
    }


def encode(text):
    return urllib.parse.quote(text, safe="-_.~")


def signed_query(job_id):
    """The query string dts sends for one StopDtsJob, signed with V1, so
    that curl sends the same bytes and the emulator does the same work."""
    params = {
        "AccessKeyId": KEY_ID,
        "Action": "StopDtsJob",
        "DtsJobId": job_id,
        "Format": "JSON",
        "RegionId": REGION,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": str(uuid.uuid4()),
        "SignatureVersion": "1.0",
        "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "Version": "2020-01-01",
    }
    canonical = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))
    to_sign = "POST&%2F&" + encode(canonical)
    digest = hmac.new(f"{SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    params["Signature"] = base64.b64encode(digest).decode()
    return "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()))


def curl_argv(url, job_id, extra=()):
    return [
        "curl", "--silent", "--show-error", "--fail", "--output", "/dev/null",
        "--request", "POST",
        "--header", "Accept: application/json",
        "--header", "x-acs-action: StopDtsJob",
        *extra,
        f"{url.rstrip('/')}/?{signed_query(job_id)}",
    ]


def run_timed(argv, env, what):
    """Wall time of one process in milliseconds; it must exit 0."""
    start = time.perf_counter_ns()
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=PROCESS_TIMEOUT_S)
    elapsed = (time.perf_counter_ns() - start) / 1e6
    if done.returncode != 0:
        fail(f"{what} exited {done.returncode}: {tail(done.stderr)}")
    return elapsed


def run_peak_kib(argv, env, work, what):
    """Peak resident memory of one process in KiB, from GNU time."""
    out = os.path.join(work, "time.out")
    done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out, *argv], env=env,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, timeout=PROCESS_TIMEOUT_S)
    if done.returncode != 0:
        fail(f"{what} exited {done.returncode}: {tail(done.stderr)}")
    with open(out) as f:
        return int(f.read().split()[-1])


def probe(dts, url, env, tag):
    """One dts stop and one curl POST, checked before anything is timed:
    both must be answered with a successful stop."""
    out = subprocess.run([dts, "stop", "--job-id", f"{tag}-probe-d", "--output", "json"], env=env,
                         capture_output=True, timeout=PROCESS_TIMEOUT_S)
    reply = json.loads(out.stdout or b"{}") if out.returncode == 0 else {}
    if not reply.get("success"):
        fail(f"the probe stop failed: {tail(out.stderr)}")
    argv = curl_argv(url, f"{tag}-probe-c", ["--write-out", "%{http_code}"])
    argv[argv.index("/dev/null")] = "-"
    out = subprocess.run(argv, env=env, capture_output=True, timeout=PROCESS_TIMEOUT_S)
    body = out.stdout.decode(errors="replace")
    if out.returncode != 0 or not body.endswith("200") or '"Success":true' not in body:
        fail(f"the probe curl was not answered with a stop: {body} {tail(out.stderr)}")
    return len(argv[-1].split("?", 1)[1])


def one_call(args, env, tag):
    """Item 1 and 2: dts against curl, alternating, timed and then measured."""
    query_bytes = probe(args.dts, args.url, env, tag)
    times = {"dts": [], "curl": []}
    peaks = {"dts": [], "curl": []}
    counter = 0

    def argv_of(name):
        nonlocal counter
        counter += 1
        # The same length for both, and never the same job twice: a second
        # stop of a job is refused and then checked, which costs more.
        job = f"{tag}-{name[0]}{counter:05d}"
        if name == "dts":
            return [args.dts, "stop", "--job-id", job]
        return curl_argv(args.url, job)

    for i in range(args.warmup + args.runs):
        order = ["dts", "curl"] if i % 2 == 0 else ["curl", "dts"]
        for name in order:
            elapsed = run_timed(argv_of(name), env, name)
            if i >= args.warmup:
                times[name].append(elapsed)
        for name in reversed(order):
            peak = run_peak_kib(argv_of(name), env, args.work, name)
            if i >= args.warmup:
                peaks[name].append(peak)
    return {"query_bytes": query_bytes, "times_ms": times, "peaks_kib": peaks}


def batch(args, env, tag):
    """Item 3: 1,000 stops, 16 at a time, against the emulator with latency."""
    env = dict(env, DTS_ENDPOINT=args.latency_url)
    runs = []
    for r in range(args.batch_runs):
        ids = [f"{tag}-b{r}-{n:04d}" for n in range(BATCH_JOBS)]
        jobs_file = os.path.join(args.work, f"jobs-{r}.txt")
        with open(jobs_file, "w") as f:
            f.write("\n".join(ids) + "\n")
        results = os.path.join(args.work, f"results-{r}.jsonl")
        peak_file = os.path.join(args.work, "batch-time.out")
        argv = ["/usr/bin/time", "-f", "%M", "-o", peak_file, args.dts, "stop",
                "--jobs-file", jobs_file, "--concurrency", str(BATCH_CONCURRENCY),
                "--output", "json"]
        with open(results, "wb") as out:
            start = time.perf_counter_ns()
            done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.PIPE, timeout=PROCESS_TIMEOUT_S)
            elapsed = (time.perf_counter_ns() - start) / 1e9
        with open(results) as f:
            lines = [json.loads(line) for line in f if line.strip()]
        reported = [line["job_id"] for line in lines]
        succeeded = sum(1 for line in lines if line.get("success") is True)
        if done.returncode != 0 or reported != ids or succeeded != BATCH_JOBS:
            fail(f"batch run {r + 1}: exit {done.returncode}, {len(lines)} lines, "
                 f"{succeeded} successes: {tail(done.stderr)}")
        with open(peak_file) as f:
            peak = int(f.read().split()[-1])
        runs.append({"seconds": elapsed, "reported": len(lines), "succeeded": succeeded,
                     "peak_kib": peak, "summary": tail(done.stderr)})
    return runs


def measure(args):
    home = os.path.join(args.work, "home")
    os.makedirs(home, exist_ok=True)
    env = dts_env(home, args.url)
    tag = f"bench{os.getpid()}x{int(time.time())}"
    results = {"one_call": one_call(args, env, tag), "batch": batch(args, env, tag),
               "runs": args.runs, "warmup": args.warmup, "latency_ms": args.latency_ms}
    with open(args.out, "w") as f:
        json.dump(results, f)


def first_line(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "unknown"


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        kib = int(re.search(r"MemTotal:\s+(\d+)", f.read()).group(1))
    debian = "unknown"
    if os.path.exists("/etc/debian_version"):
        with open("/etc/debian_version") as f:
            debian = f.read().strip()
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "model": model,
        "memory_gib": kib / 1024 / 1024,
        "kernel": platform.release(),
        "debian": debian,
        "rustc": first_line(["rustc", "--version"]),
        "curl": " ".join(first_line(["curl", "--version"]).split()[:2]),
    }


def criterion_median_ns(target_dir, name):
    path = os.path.join(target_dir, "criterion", name, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]


def verdict(ok):
    return "met" if ok else "**missed**"


def report(args):
    with open(args.results) as f:
        results = json.load(f)
    one = results["one_call"]
    t_dts, t_curl = (statistics.median(one["times_ms"][k]) for k in ("dts", "curl"))
    ratio = t_dts / t_curl
    p_dts, p_curl = (one["peaks_kib"][k] for k in ("dts", "curl"))
    peak_max_mib = max(p_dts) / 1024
    batch_runs = results["batch"]
    batch_s = statistics.median(run["seconds"] for run in batch_runs)
    ideal_s = BATCH_JOBS * results["latency_ms"] / 1000 / BATCH_CONCURRENCY
    every_job = all(run["reported"] == run["succeeded"] == BATCH_JOBS for run in batch_runs)
    v1_us = criterion_median_ns(args.target_dir, "sign_v1") / 1000
    v3_us = criterion_median_ns(args.target_dir, "sign_v3") / 1000
    size_mib = os.stat(args.dts).st_size / 1024 / 1024
    host = machine()
    runs = results["runs"]
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    def spread(values, digits=2):
        return f"min {min(values):.{digits}f}, max {max(values):.{digits}f}"

    rows = [
        ("1", f"one `dts stop`, median wall time of {runs} runs", "≤ 1.0× curl",
         f"{t_dts:.2f} ms against curl's {t_curl:.2f} ms: **{ratio:.2f}×**", verdict(ratio <= 1.0)),
        ("2", f"peak RSS of that call, largest of {runs} runs", "≤ 8 MiB",
         f"**{peak_max_mib:.1f} MiB** (median {statistics.median(p_dts) / 1024:.1f}; "
         f"curl {statistics.median(p_curl) / 1024:.1f})", verdict(peak_max_mib <= 8.0)),
        ("3", f"{BATCH_JOBS} jobs, `--concurrency {BATCH_CONCURRENCY}`, "
              f"{results['latency_ms']} ms latency, median of {len(batch_runs)}",
         f"≤ 1.3× {ideal_s:.2f} s, every job reported",
         f"**{batch_s:.2f} s = {batch_s / ideal_s:.2f}×**, "
         f"{batch_runs[0]['succeeded']}/{BATCH_JOBS} reported and stopped",
         verdict(batch_s <= 1.3 * ideal_s and every_job)),
        ("4", "signer alone, criterion median", "< 5 µs",
         f"**V1 {v1_us:.2f} µs**, V3 {v3_us:.2f} µs", verdict(v1_us < 5 and v3_us < 5)),
        ("5", "release binary, stripped, fat LTO", "≤ 8 MiB",
         f"**{size_mib:.2f} MiB** ({os.stat(args.dts).st_size} bytes)", verdict(size_mib <= 8.0)),
    ]
    table = ["| # | measure | target | result | |", "| --- | --- | --- | --- | --- |"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    details = [
        f"- one call, wall ms: dts {spread(one['times_ms']['dts'])}; "
        f"curl {spread(one['times_ms']['curl'])}; {results['warmup']} warm-up runs of each "
        f"not counted; both send the same parameters, signed (curl's first query: "
        f"{one['query_bytes']} bytes)",
        f"- one call, peak RSS KiB: dts {spread(p_dts, 0)}; curl {spread(p_curl, 0)}",
        "- batch runs: " + "; ".join(
            f"{run['seconds']:.3f} s, peak RSS {run['peak_kib'] / 1024:.1f} MiB"
            for run in batch_runs) + f" (stderr: `{batch_runs[-1]['summary']}`)",
        f"- signer: canonical query {criterion_median_ns(args.target_dir, 'canonical_query'):.0f}"
        f" ns, percent-encoding one value "
        f"{criterion_median_ns(args.target_dir, 'percent_encode'):.0f} ns",
    ]
    section = "\n".join([
        START,
        f"Measured {now} with `{args.invocation}` on {host['cpus']} cores of {host['model']}, "
        f"{host['memory_gib']:.1f} GiB, Linux {host['kernel']}, Debian {host['debian']}; "
        f"{host['rustc']}; {host['curl']}.",
        "",
        *table,
        "",
        *details,
        END,
    ])
    print(section)
    if args.write:
        path = args.write
        text = open(path).read() if os.path.exists(path) else ""
        if START in text and END in text:
            text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n## Results\n\n" + section + "\n"
        with open(path, "w") as f:
            f.write(text)
        print(f"scripts/bench: results written to {path}", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="step", required=True)
    m = commands.add_parser("measure")
    m.add_argument("--dts", required=True)
    m.add_argument("--url", required=True)
    m.add_argument("--latency-url", required=True)
    m.add_argument("--latency-ms", type=int, required=True)
    m.add_argument("--runs", type=int, required=True)
    m.add_argument("--warmup", type=int, default=5)
    m.add_argument("--batch-runs", type=int, default=3)
    m.add_argument("--work", required=True)
    m.add_argument("--out", required=True)
    r = commands.add_parser("report")
    r.add_argument("--results", required=True)
    r.add_argument("--dts", required=True)
    r.add_argument("--target-dir", required=True)
    r.add_argument("--invocation", required=True)
    r.add_argument("--write")
    args = parser.parse_args()
    measure(args) if args.step == "measure" else report(args)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
