package dev.gatehouse.handlers.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small inline SVG charts for the scan report: vertical bars, horizontal bars and multi-series
 * lines, with axes, value labels and a legend. Every label is escaped; the output has no scripts
 * and no external references, so the page stays self-contained.
 */
final class SvgCharts {

    static final int WIDTH = 580;
    static final int HEIGHT = 250;
    private static final int LEFT = 48;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;
    private static final String AXIS = "#8a8f98";
    private static final String GRID = "#e3e6ea";
    private static final String TEXT = "#2b2f36";

    private SvgCharts() {}

    /** One bar per entry, coloured by {@code colours} (falling back to {@code defaultColour}). */
    static String verticalBars(String label, Map<String, Integer> values, Map<String, String> colours, String defaultColour) {
        StringBuilder svg = open(label);
        int max = niceMax(values.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        grid(svg, max, plotHeight);
        int n = Math.max(1, values.size());
        double slot = (double) plotWidth / n;
        double barWidth = Math.min(60, slot * 0.6);
        int i = 0;
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            double x = LEFT + slot * i + (slot - barWidth) / 2;
            double h = max == 0 ? 0 : (double) e.getValue() * plotHeight / max;
            double y = TOP + plotHeight - h;
            String colour = colours.getOrDefault(e.getKey(), defaultColour);
            svg.append(rect(x, y, barWidth, Math.max(h, e.getValue() > 0 ? 1 : 0), colour));
            svg.append(text(x + barWidth / 2, y - 4, "middle", 11, Integer.toString(e.getValue())));
            svg.append(text(LEFT + slot * i + slot / 2, TOP + plotHeight + 16, "middle", 11, e.getKey()));
            i++;
        }
        axes(svg, plotWidth, plotHeight);
        return svg.append("</svg>").toString();
    }

    /** One horizontal bar per entry, largest first as given; long labels are shortened. */
    static String horizontalBars(String label, Map<String, Integer> values, String colour, String emptyText) {
        StringBuilder svg = open(label);
        if (values.isEmpty()) {
            svg.append(text(WIDTH / 2.0, HEIGHT / 2.0, "middle", 13, emptyText));
            return svg.append("</svg>").toString();
        }
        int labelWidth = 170;
        int plotWidth = WIDTH - labelWidth - 50;
        int rows = Math.min(values.size(), 10);
        double rowHeight = (double) (HEIGHT - TOP - 8) / rows;
        double barHeight = Math.min(18, rowHeight * 0.7);
        int max = Math.max(1, values.values().stream().mapToInt(Integer::intValue).max().orElse(1));
        int i = 0;
        for (Map.Entry<String, Integer> e : values.entrySet()) {
            if (i == rows) {
                break;
            }
            double y = TOP + rowHeight * i + (rowHeight - barHeight) / 2;
            double w = (double) e.getValue() * plotWidth / max;
            svg.append(text(labelWidth - 6, y + barHeight / 2 + 4, "end", 11, shorten(e.getKey(), 26)));
            svg.append(rect(labelWidth, y, Math.max(w, 1), barHeight, colour));
            svg.append(text(labelWidth + w + 6, y + barHeight / 2 + 4, "start", 11, Integer.toString(e.getValue())));
            i++;
        }
        svg.append(line(labelWidth, TOP, labelWidth, HEIGHT - 8, AXIS));
        return svg.append("</svg>").toString();
    }

    /** Lines over the x labels, one per series (values aligned with the labels), with dots and a legend. */
    static String lines(String label, List<String> xLabels, Map<String, int[]> series, Map<String, String> colours) {
        StringBuilder svg = open(label);
        int max = niceMax(series.values().stream().flatMapToInt(java.util.Arrays::stream).max().orElse(0));
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        grid(svg, max, plotHeight);
        int n = xLabels.size();
        double step = n <= 1 ? 0 : (double) plotWidth / (n - 1);
        int labelEvery = Math.max(1, (int) Math.ceil(n / 6.0));
        for (int i = 0; i < n; i++) {
            if (i % labelEvery == 0 || i == n - 1) {
                svg.append(text(x(i, n, step, plotWidth), TOP + plotHeight + 16, "middle", 10, xLabels.get(i)));
            }
        }
        int legendX = LEFT;
        for (Map.Entry<String, int[]> s : series.entrySet()) {
            String colour = colours.getOrDefault(s.getKey(), AXIS);
            int[] v = s.getValue();
            List<String> points = new ArrayList<>();
            for (int i = 0; i < Math.min(n, v.length); i++) {
                double px = x(i, n, step, plotWidth);
                double py = TOP + plotHeight - (max == 0 ? 0 : (double) v[i] * plotHeight / max);
                points.add(fmt(px) + "," + fmt(py));
            }
            if (points.size() > 1) {
                svg.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2.5\" points=\"")
                        .append(String.join(" ", points)).append("\"/>");
            }
            for (String p : points) {
                String[] xy = p.split(",");
                svg.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"4\" fill=\"")
                        .append(colour).append("\"/>");
            }
            svg.append(rect(legendX, HEIGHT - 14, 10, 10, colour));
            svg.append(text(legendX + 14, HEIGHT - 5, "start", 11, s.getKey()));
            legendX += 20 + 7 * s.getKey().length() + 12;
        }
        axes(svg, plotWidth, plotHeight);
        return svg.append("</svg>").toString();
    }

    private static double x(int i, int n, double step, int plotWidth) {
        return n <= 1 ? LEFT + plotWidth / 2.0 : LEFT + step * i;
    }

    private static StringBuilder open(String label) {
        return new StringBuilder().append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(label)).append("\" font-family=\"sans-serif\">")
                .append("<title>").append(Html.escape(label)).append("</title>");
    }

    private static void grid(StringBuilder svg, int max, int plotHeight) {
        for (int k = 0; k <= 4; k++) {
            double y = TOP + plotHeight - (double) plotHeight * k / 4;
            svg.append(line(LEFT, y, WIDTH - RIGHT, y, GRID));
            svg.append(text(LEFT - 6, y + 4, "end", 10, Integer.toString(max * k / 4)));
        }
    }

    private static void axes(StringBuilder svg, int plotWidth, int plotHeight) {
        svg.append(line(LEFT, TOP, LEFT, TOP + plotHeight, AXIS));
        svg.append(line(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight, AXIS));
    }

    /** A round maximum divisible by 4 so the grid labels are whole numbers. */
    static int niceMax(int max) {
        if (max <= 4) {
            return 4;
        }
        int magnitude = (int) Math.pow(10, (int) Math.log10(max));
        int step = Math.max(1, magnitude / 2);
        int rounded = ((max + step - 1) / step) * step;
        return ((rounded + 3) / 4) * 4;
    }

    private static String rect(double x, double y, double w, double h, String fill) {
        return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(w) + "\" height=\"" + fmt(h) + "\" fill=\"" + fill + "\"/>";
    }

    private static String line(double x1, double y1, double x2, double y2, String stroke) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\" stroke=\"" + stroke
                + "\" stroke-width=\"1\"/>";
    }

    private static String text(double x, double y, String anchor, int size, String content) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" + size + "\" fill=\"" + TEXT
                + "\">" + Html.escape(content) + "</text>";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
