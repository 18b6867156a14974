#!/usr/bin/env python3
"""Summarises the CPU samples of a JFR recording made by bench/http.sh (BENCH_JFR=mode), or of
async-profiler's collapsed stacks (BENCH_PROFILE=mode, a file ending in .collapsed).

    bench/jfr-hotspots.py RECORDING.jfr|PROFILE.collapsed [FILTER ...]
    bench/jfr-hotspots.py --layers RECORDING.jfr|PROFILE.collapsed

Prints the methods with the most samples on top of the stack (self), and the methods whose
frames appear anywhere in the stack (total), optionally only those whose name contains one of
the FILTER words (e.g. sessionkit jackson jedis). Percentages are of all execution samples. With --layers, each sample is charged to the
innermost frame that belongs to a known layer (the Redis client, JSON, the session framework,
the benchmark servlet), or else to the container and JDK.
"""
import collections
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+([\w$.<>]+)\(")


def samples(recording):
    """Each sample's stack, innermost frame first."""
    if recording.endswith(".collapsed"):
        yield from collapsed_samples(recording)
        return
    text = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "96", recording],
                          check=True, capture_output=True, text=True).stdout
    stack = None
    for line in text.splitlines():
        if "stackTrace = [" in line:
            stack = []
        elif stack is not None and line.strip() == "]":
            yield stack
            stack = None
        elif stack is not None:
            match = FRAME.match(line)
            if match:
                stack.append(match.group(1))


def collapsed_samples(path):
    """async-profiler's collapsed form: a line per distinct stack, outermost frame first, slashes
    for dots, then the number of samples."""
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            frames, _, count = line.rstrip("\n").rpartition(" ")
            stack = [frame.replace("/", ".") for frame in reversed(frames.split(";"))]
            for _ in range(int(count)):
                yield stack


LAYERS = [
    ("redis client", ("redis.clients.", "org.apache.commons.pool2.", "org.springframework.data.redis.connection.")),
    ("JSON (Jackson)", ("com.fasterxml.jackson.",)),
    ("session framework", ("io.sessionkit.core.", "io.sessionkit.servlet.", "io.sessionkit.redis.", "io.sessionkit.spi.",
                           "org.springframework.session.", "org.springframework.data.redis.", "org.springframework.")),
    ("benchmark servlet", ("io.sessionkit.bench.",)),
]


def layers(recording):
    counts, count = collections.Counter(), 0
    for stack in samples(recording):
        count += 1
        layer = "container and JDK (Jetty, sockets, threads)"
        for frame in stack:
            match = next((name for name, prefixes in LAYERS if frame.startswith(prefixes)), None)
            if match:
                layer = match
                break
        counts[layer] += 1
    print(f"{count} execution samples in {recording}, by layer:")
    for layer, n in counts.most_common():
        print(f"  {100 * n / count:5.1f}%  {layer}")


def main():
    if sys.argv[1] == "--layers":
        layers(sys.argv[2])
        return
    recording, filters = sys.argv[1], [word.lower() for word in sys.argv[2:]]
    self_counts, total_counts, count = collections.Counter(), collections.Counter(), 0
    for stack in samples(recording):
        count += 1
        if stack:
            self_counts[stack[0]] += 1
        for method in set(stack):
            total_counts[method] += 1
    wanted = (lambda name: any(word in name.lower() for word in filters)) if filters else (lambda name: True)
    print(f"{count} execution samples in {recording}")
    for title, counter in (("self", self_counts), ("total (inclusive)", total_counts)):
        print(f"\nTop methods, {title}:")
        for method, n in [(m, n) for m, n in counter.most_common() if wanted(m)][:25]:
            print(f"  {100 * n / count:5.1f}%  {method}")


if __name__ == "__main__":
    main()
