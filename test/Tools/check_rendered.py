"""Checks what headless chromium made of a `quant-compile --report` page:
its log has no console message (a script error, a resource blocked by the
page's Content-Security-Policy, a failed load: chromium logs each as
`CONSOLE`), and its screenshot shows the plots, i.e. enough pixels of the
box plots' box colour and of the histogram bar colour (the page's CSS; PIL,
Debian's python3-pil, reads the PNG). Prints
`RENDERED OK` or the first problem (exit status 1).

  check_rendered.py chromium.log screenshot.png
"""

import sys

from PIL import Image

BOX = (0x9F, 0xBB, 0xE0)  # svg .box fill
BAR = (0x6B, 0x8F, 0xC7)  # svg .bar fill


def fail(message):
    print("RENDERED BAD: " + message)
    sys.exit(1)


def main():
    log_path, png_path = sys.argv[1], sys.argv[2]
    console = [line for line in open(log_path, errors="replace") if ":CONSOLE" in line]
    if console:
        fail("console message: " + console[0].strip())
    colours = dict((rgb, n) for n, rgb in
                   Image.open(png_path).convert("RGB").getcolors(1 << 24))
    counts = {BOX: colours.get(BOX, 0), BAR: colours.get(BAR, 0)}
    if counts[BOX] < 200:
        fail("only %d pixels of box-plot boxes" % counts[BOX])
    if counts[BAR] < 200:
        fail("only %d pixels of histogram bars" % counts[BAR])
    print("RENDERED OK")


if __name__ == "__main__":
    main()
