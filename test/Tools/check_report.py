"""Checks a `quant-compile --report` page (or the DOM chromium made of it)
against what the test knows independently, and prints `REPORT OK` or the
first problem (exit status 1).

  check_report.py report.html --layers 4 --boxplots 2 \
      --channels stem_act=8,dw_act=8 --stats stats.json \
      --sqnr logits=fp32.npy,int8.npy \
      --fp32-metrics fp32.txt --int8-metrics int8.txt

Always checked: the page parses; it has no script, no external reference
(every href is a fragment, no src attribute at all); the summary table and
the layer sections list the same layers in the same order, sorted by SQNR
ascending (worst first); each section has its SQNR, box plots with one
<g class="channel"> per output channel (each with a whisker, a box and a
median line), and a histogram with bars and the two clipping lines, the
clip-min line left of the clip-max line.

Options add: the number of layers and of box plots per layer; the channels
of named layers; `--stats`: each clipping range contains the observed
[min, max] of the calibration statistics (quant-run --calibrate) and is the
min-max range (zero included) within one quantization step; `--sqnr`: the
SQNR of a layer equals 10 log10(sum x^2 / sum (x - y)^2) of two .npy files
of its outputs (to 0.01 dB, the page's precision); `--fp32-metrics` /
`--int8-metrics`: the accuracies equal quant-run's `accuracy:` lines;
`--agreement fp32.npy,int8.npy`: the agreement is the fraction of equal
argmaxes of two .npy files of logits; `--samples N`; `--lower-than other.html`: every layer's SQNR here is below
the same layer's SQNR in another report.
"""

import argparse
import html.parser
import json
import math
import re
import sys

import numpy as np


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], ""

    def classes(self):
        return self.attrs.get("class", "").split()

    def find_all(self, tag=None, cls=None):
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()):
                yield child
            yield from child.find_all(tag, cls)

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)


VOID = {"meta", "link", "br", "img", "input", "hr", "col", "area", "base",
        "embed", "source", "track", "wbr"}


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is None:
            raise ValueError("unmatched </%s>" % tag)
        self.current = node.parent

    def handle_data(self, data):
        self.current.text += data


def fail(message):
    print("REPORT BAD: " + message)
    sys.exit(1)


def number(text):
    return float(text.replace("inf", "Infinity")) if text not in ("n/a",) else None


def parse(path):
    builder = TreeBuilder()
    with open(path, encoding="utf-8") as f:
        builder.feed(f.read())
    builder.close()
    return builder.root


def interval(text):
    m = re.fullmatch(r"\[(\S+), (\S+)\]", text.strip())
    if not m:
        fail("not an interval: %r" % text)
    return float(m.group(1)), float(m.group(2))


def layers_of(root):
    rows = list(root.find_all("tr", "layer-row"))
    sections = list(root.find_all("section", "layer"))
    return rows, sections


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--layers", type=int)
    parser.add_argument("--boxplots", type=int)
    parser.add_argument("--channels", default="")
    parser.add_argument("--stats")
    parser.add_argument("--sqnr", action="append", default=[])
    parser.add_argument("--fp32-metrics")
    parser.add_argument("--int8-metrics")
    parser.add_argument("--samples", type=int)
    parser.add_argument("--agreement")
    parser.add_argument("--lower-than")
    args = parser.parse_args()
    root = parse(args.report)

    for node in root.find_all():
        if node.tag == "script":
            fail("the page has a <script>")
        if "src" in node.attrs:
            fail("<%s> has src=%r" % (node.tag, node.attrs["src"]))
        href = node.attrs.get("href")
        if href is not None and not href.startswith("#"):
            fail("<%s> links to %r" % (node.tag, href))

    rows, sections = layers_of(root)
    if not sections:
        fail("no layer sections")
    names = [s.attrs["data-layer"] for s in sections]
    if [r.attrs["data-layer"] for r in rows] != names:
        fail("the summary lists %s, the sections %s"
             % ([r.attrs["data-layer"] for r in rows], names))
    if args.layers is not None and len(sections) != args.layers:
        fail("%d layer sections, expected %d" % (len(sections), args.layers))
    sqnrs = [number(s.attrs["data-sqnr"]) for s in sections]
    measured = [v for v in sqnrs if v is not None]
    if measured != sorted(measured) or None in sqnrs[:len(measured)]:
        fail("layers not sorted by SQNR, worst first: %s" % sqnrs)
    for row, section in zip(rows, sections):
        if row.attrs["data-sqnr"] != section.attrs["data-sqnr"]:
            fail("layer %s: SQNR %s in the summary, %s in its section"
                 % (section.attrs["data-layer"], row.attrs["data-sqnr"],
                    section.attrs["data-sqnr"]))
        dd = next(section.find_all("dd", "sqnr"), None)
        if dd is None or dd.all_text().split()[0] != section.attrs["data-sqnr"]:
            fail("layer %s: no SQNR line" % section.attrs["data-layer"])

    channels = dict(kv.split("=") for kv in args.channels.split(",") if kv)
    by_name = {}
    for section in sections:
        name = section.attrs["data-layer"]
        by_name[name] = section
        boxplots = list(section.find_all("svg", "boxplot"))
        if args.boxplots is not None and len(boxplots) != args.boxplots:
            fail("layer %s: %d box plots, expected %d" % (name, len(boxplots), args.boxplots))
        for svg in boxplots:
            groups = list(svg.find_all("g", "channel"))
            if name in channels and len(groups) != int(channels[name]):
                fail("layer %s: %d channels in a box plot, expected %s"
                     % (name, len(groups), channels[name]))
            for g in groups:
                for tag, cls in (("line", "whisker"), ("rect", "box"), ("line", "median")):
                    if next(g.find_all(tag, cls), None) is None:
                        fail("layer %s: a channel without its %s" % (name, cls))
        hists = list(section.find_all("svg", "histogram"))
        if len(hists) != 1:
            fail("layer %s: %d histograms, expected 1" % (name, len(hists)))
        bars = list(hists[0].find_all("rect", "bar"))
        if not 0 < len(bars) <= 128:
            fail("layer %s: %d histogram bars" % (name, len(bars)))
        lo = next(hists[0].find_all("line", "clip-min"), None)
        hi = next(hists[0].find_all("line", "clip-max"), None)
        if lo is None or hi is None or not float(lo.attrs["x1"]) < float(hi.attrs["x1"]):
            fail("layer %s: clipping lines missing or out of order" % name)

    # The clip range column of the summary, per layer.
    clip = {}
    for row in rows:
        cell = row.children[-1].all_text()
        if cell != "float":
            clip[row.attrs["data-layer"]] = interval(cell)
    if args.stats:
        with open(args.stats) as f:
            tensors = json.load(f)["tensors"]
        for name, (a, b) in clip.items():
            t = tensors[name]
            step = (b - a) / 255
            lo, hi = min(0.0, t["min"]), max(0.0, t["max"])
            if not (abs(a - lo) <= step * 1.01 + 1e-3 * step and abs(b - hi) <= step * 1.01):
                fail("layer %s: clip range [%g, %g] is not the observed [%g, %g]"
                     % (name, a, b, lo, hi))

    for spec in args.sqnr:
        name, files = spec.split("=")
        x, y = (np.load(p).astype(np.float64) for p in files.split(","))
        expected = 10 * math.log10(np.sum(x * x) / np.sum((x - y) ** 2))
        got = number(by_name[name].attrs["data-sqnr"])
        if abs(got - expected) > 0.01:
            fail("layer %s: SQNR %.4f, NumPy says %.4f" % (name, got, expected))
        print("sqnr %s: %.2f (numpy %.4f)" % (name, got, expected))

    def metric(path, key):
        for line in open(path):
            if line.startswith(key + ":"):
                return line.split(":")[1].strip()
        fail("no %s line in %s" % (key, path))

    def cell(id_):
        node = next((n for n in root.find_all("td") if n.attrs.get("id") == id_), None)
        if node is None:
            fail("no #%s" % id_)
        return node.all_text().strip()

    for path, id_ in ((args.fp32_metrics, "fp32-accuracy"), (args.int8_metrics, "int8-accuracy")):
        if path:
            if cell(id_) != metric(path, "accuracy"):
                fail("%s %s, quant-run says %s" % (id_, cell(id_), metric(path, "accuracy")))
            if cell("samples") != metric(path, "samples"):
                fail("samples %s, quant-run ran %s" % (cell("samples"), metric(path, "samples")))
    if args.agreement:
        x, y = (np.load(p) for p in args.agreement.split(","))
        same = np.mean(np.argmax(x.reshape(len(x), -1), axis=1)
                       == np.argmax(y.reshape(len(y), -1), axis=1))
        if cell("agreement") != "%.4f" % same:
            fail("agreement %s, NumPy says %.4f" % (cell("agreement"), same))
    if args.samples is not None and cell("samples") != str(args.samples):
        fail("samples %s, expected %d" % (cell("samples"), args.samples))

    if args.lower_than:
        _, others = layers_of(parse(args.lower_than))
        other = {s.attrs["data-layer"]: number(s.attrs["data-sqnr"]) for s in others}
        for section in sections:
            name = section.attrs["data-layer"]
            if not number(section.attrs["data-sqnr"]) < other[name]:
                fail("layer %s: SQNR %s is not below %s" % (name, section.attrs["data-sqnr"], other[name]))

    print("REPORT OK: %d layers, worst %s" % (len(sections), names[0]))


if __name__ == "__main__":
    main()
