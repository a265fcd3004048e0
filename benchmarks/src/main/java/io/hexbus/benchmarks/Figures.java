package io.hexbus.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one harness run: each measured after its warm-up, repeated, and reported as a table (median, min,
 * max, ratio to its ceiling of the same run) and as JSON. Shared by {@link RedisHarness} and {@link KafkaHarness}.
 * Not thread-safe: one harness thread.
 */
final class Figures {

    /** One figure: a rate (higher is better) or a latency in ms, with its runs. */
    record Figure(String name, String unit, double[] runs, String ceiling, Double target, String note) {
        double median() {
            double[] s = runs.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        double min() {
            return Arrays.stream(runs).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(runs).max().orElse(Double.NaN);
        }
    }

    /** What a figure is, before it is measured. */
    record Spec(String name, String unit, String ceiling, Double target, String note) {
    }

    /** One run of a figure. */
    interface Run {
        double once() throws Exception;
    }

    /** One round of figures measured together (each round gives one value per figure, in order). */
    interface Round {
        double[] once() throws Exception;
    }

    /**
     * How a figure is warmed before its measured runs: untimed runs, at least {@code min} and at most {@code max},
     * stopping once the last two each differ by at most {@code tolerance} (relative to the later) for every figure
     * of the round.
     */
    record WarmUp(int min, int max, double tolerance) {
        /** One untimed run, as the Redis harness has always done. */
        static final WarmUp ONCE = new WarmUp(1, 1, 0);

        boolean stable(double[] previous, double[] last) {
            if (previous == null) {
                return false;
            }
            for (int i = 0; i < last.length; i++) {
                if (Math.abs(last[i] - previous[i]) > tolerance * Math.abs(last[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    final int runs;
    final List<Figure> all = new ArrayList<>();
    final Map<String, Object> extra = new LinkedHashMap<>();
    private WarmUp warmUp;

    Figures(int runs, WarmUp warmUp) {
        this.runs = runs;
        this.warmUp = warmUp;
    }

    /** Sets the warm-up of the figures measured from now on; {@code null} for none (latency parts). */
    void warmUp(WarmUp value) {
        warmUp = value;
    }

    void add(Figure figure) {
        all.add(figure);
    }

    void measure(String name, String unit, String ceiling, Double target, String note, Run run) throws Exception {
        measureTogether(List.of(new Spec(name, unit, ceiling, target, note)), () -> new double[] {run.once()});
    }

    /**
     * Warms and measures figures whose values come from one round each (a figure and its ceiling on the same
     * records, say): the warm-up rule applies to all of them at once, and run <i>i</i> of each is from round
     * <i>i</i>.
     */
    void measureTogether(List<Spec> specs, Round round) throws Exception {
        if (warmUp != null) {
            double[] previous = null;
            for (int i = 1; i <= warmUp.max(); i++) {
                double[] last = round.once(); // untimed for the figures: the JIT compiles the paths first
                System.out.printf(Locale.ROOT, "  warm-up %d: %s%n", i, describe(specs, last));
                if (i >= warmUp.min() && warmUp.stable(previous, last)) {
                    break;
                }
                if (i == warmUp.max() && warmUp.max() > 1) {
                    System.out.printf(Locale.ROOT, "  not stable within %.0f%% after %d warm-up rounds: measured"
                            + " anyway%n", warmUp.tolerance() * 100, i);
                }
                previous = last;
            }
        }
        double[][] values = new double[specs.size()][runs];
        for (int r = 0; r < runs; r++) {
            double[] got = round.once();
            for (int s = 0; s < specs.size(); s++) {
                values[s][r] = got[s];
            }
            System.out.printf(Locale.ROOT, "  run %d: %s%n", r + 1, describe(specs, got));
        }
        for (int s = 0; s < specs.size(); s++) {
            Spec spec = specs.get(s);
            all.add(new Figure(spec.name(), spec.unit(), values[s], spec.ceiling(), spec.target(), spec.note()));
        }
    }

    private static String describe(List<Spec> specs, double[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < specs.size(); i++) {
            s.append(i == 0 ? "" : "; ").append(specs.get(i).name()).append(String.format(Locale.ROOT, " %,.0f %s",
                    values[i], specs.get(i).unit()));
        }
        return s.toString();
    }

    /** Prints the table and writes the JSON to {@code benchmarks/target/<file>} (or the working directory). */
    void report(String header, String file) throws IOException {
        Map<String, Figure> byName = new HashMap<>();
        all.forEach(f -> byName.put(f.name(), f));
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n%-70s %12s %12s %12s %-9s %8s %8s %s%n", "figure", "median", "min",
                "max", "unit", "ratio", "target", "met"));
        StringBuilder json = new StringBuilder("{\n  ").append(header).append(",\n");
        json.append("  \"runs\": ").append(runs).append(",\n");
        json.append("  \"figures\": [\n");
        for (int i = 0; i < all.size(); i++) {
            Figure f = all.get(i);
            Figure ceiling = f.ceiling() == null ? null : byName.get(f.ceiling());
            Double ratio = ceiling == null ? null : f.median() / ceiling.median();
            String met = f.target() == null || ratio == null ? "" : ratio >= f.target() ? "met" : "MISSED";
            table.append(String.format(Locale.ROOT, "%-70s %12.3f %12.3f %12.3f %-9s %8s %8s %s%n", f.name(),
                    f.median(), f.min(), f.max(), f.unit(), ratio == null ? "" : String.format(Locale.ROOT, "%.1f%%",
                            ratio * 100), f.target() == null ? "" : String.format(Locale.ROOT, "%.0f%%",
                            f.target() * 100), met));
            json.append(String.format(Locale.ROOT, "    {\"name\": \"%s\", \"unit\": \"%s\", \"median\": %.3f,"
                    + " \"min\": %.3f, \"max\": %.3f, \"runs\": %s, \"ceiling\": %s, \"ratio\": %s, \"target\": %s,"
                    + " \"note\": \"%s\"}%s%n", f.name(), f.unit(), f.median(), f.min(), f.max(),
                    Arrays.toString(f.runs()), f.ceiling() == null ? "null" : "\"" + f.ceiling() + "\"",
                    ratio == null ? "null" : String.format(Locale.ROOT, "%.4f", ratio),
                    f.target() == null ? "null" : f.target().toString(), f.note(), i + 1 < all.size() ? "," : ""));
        }
        json.append("  ],\n  \"extra\": ").append(toJson(extra)).append("\n}\n");
        System.out.print(table);
        Path out = Path.of("benchmarks", "target", file);
        if (!Files.isDirectory(out.getParent())) {
            out = Path.of(file);
        }
        Files.writeString(out, json);
        System.out.println("\nWrote " + out.toAbsolutePath());
    }

    @SuppressWarnings("unchecked")
    static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            ((Map<String, Object>) map).forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append('"').append(k)
                    .append("\": ").append(toJson(v)));
            return s.append('}').toString();
        }
        if (value instanceof Number number) {
            return value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : number.toString();
        }
        return "\"" + value + "\"";
    }
}
