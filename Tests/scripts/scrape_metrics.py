#!/usr/bin/env python3
"""Scrapes a Prometheus endpoint with a real HTTP client (urllib) and parses it with the
reference parser (prometheus_client), for the Swift tests: prints one JSON object with every
family's type and every sample. A malformed scrape makes the parser raise, so the test fails.

    scrape_metrics.py http://127.0.0.1:9464/metrics
"""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
        content_type = response.headers.get("Content-Type", "")
        text = response.read().decode("utf-8")
    families = {}
    samples = []
    for family in text_string_to_metric_families(text):
        families[family.name] = family.type
        for sample in family.samples:
            samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value})
    json.dump({"contentType": content_type, "families": families, "samples": samples}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
