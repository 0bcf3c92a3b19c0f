package io.treeprop.jobs;

import io.treeprop.core.model.Json;
import io.treeprop.jobs.config.TuneConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A tune's directory: {@value #STATE} (which tune it holds), {@value #RESULTS_CSV} (one row per finished trial,
 * rewritten whole as each trial finishes, so an interrupted tune leaves every finished trial and nothing partial),
 * and at the end {@value #CHART_PNG}, {@value #BEST_CONF} and the {@value #FINISHED} marker.
 *
 * <p>A rerun of the same tune (the same {@link TuneConfig#fingerprint()}) resumes: trials in the table are not run
 * again. A directory holding a finished tune, or another tune (a changed grid, folds, metric or job), is refused
 * unless {@code output.overwrite} is set, which starts over.
 */
final class TuneResults {
  static final String RESULTS_CSV = "results.csv";
  static final String CHART_PNG = "results.png";
  static final String BEST_CONF = "best.conf";
  static final String STATE = "tune.json";
  static final String FINISHED = "_FINISHED";

  /**
   * One finished trial's row.
   *
   * @param metrics the metric per fold; empty when the trial diverged
   * @param started when the trial started (ISO-8601)
   * @param error why the trial has no metrics, or null
   */
  record Row(int trial, double[] metrics, double seconds, String started, String error) {
    boolean ok() {
      return error == null;
    }

    double mean() {
      double s = 0;
      for (double m : metrics) {
        s += m;
      }
      return metrics.length == 0 ? Double.NaN : s / metrics.length;
    }

    /** The population standard deviation over the folds (0 for one fold), as scikit-learn reports it. */
    double std() {
      double mean = mean();
      double s = 0;
      for (double m : metrics) {
        s += (m - mean) * (m - mean);
      }
      return metrics.length == 0 ? Double.NaN : Math.sqrt(s / metrics.length);
    }
  }

  private final TuneConfig tune;
  private final FileSystem fs;
  private final Path dir;
  private final boolean restart;
  private final Map<Integer, Row> rows = new TreeMap<>();

  private TuneResults(TuneConfig tune, FileSystem fs, Path dir, boolean restart) {
    this.tune = tune;
    this.fs = fs;
    this.dir = dir;
    this.restart = restart;
  }

  /**
   * Decides, changing nothing, whether the tune starts, resumes or is refused, and reads the finished trials.
   *
   * @throws IllegalArgumentException when the directory holds a finished or another tune and may not be replaced
   */
  static TuneResults check(TuneConfig tune, boolean overwrite, Configuration hadoop) throws IOException {
    Path dir = new Path(tune.dir());
    FileSystem qualified = dir.getFileSystem(hadoop);
    // the raw local file system writes no .crc files beside the results
    FileSystem fs = qualified instanceof ChecksumFileSystem c ? c.getRawFileSystem() : qualified;
    Outputs.requireWritable("tune.dir", tune.dir(), true, hadoop);
    if (!fs.exists(dir)) {
      return new TuneResults(tune, fs, dir, false);
    }
    String fix = "; set output.overwrite = true to start it over, or choose another tune.dir";
    if (fs.exists(new Path(dir, FINISHED))) {
      if (!overwrite) {
        throw new IllegalArgumentException("tune.dir: " + tune.dir() + " holds a finished tune" + fix);
      }
      return new TuneResults(tune, fs, dir, true);
    }
    if (!fs.exists(new Path(dir, STATE)) || !tune.fingerprint().equals(fingerprint(fs, new Path(dir, STATE)))) {
      if (!overwrite) {
        throw new IllegalArgumentException("tune.dir: " + tune.dir() + " holds the results of another tune (its "
            + "grid, folds, seed, metric or job differ from this one's) or is not a tune directory" + fix);
      }
      return new TuneResults(tune, fs, dir, true);
    }
    TuneResults r = new TuneResults(tune, fs, dir, false);
    r.readRows();
    return r;
  }

  /** Creates the directory (emptied when starting over) and records which tune it holds. */
  void start() throws IOException {
    if (restart) {
      fs.delete(dir, true);
      rows.clear();
    }
    if (!fs.mkdirs(dir)) {
      throw new IOException("cannot create the directory " + dir);
    }
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("fingerprint", tune.fingerprint());
    state.put("trials", tune.trials().size());
    state.put("keys", tune.keys());
    state.put("metric", tune.metric().jsonName());
    writeAtomically(STATE, (Json.write(state) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Whether trial {@code number} finished in an earlier run. */
  synchronized boolean done(int number) {
    return rows.containsKey(number);
  }

  /** The finished trials, by number. */
  synchronized List<Row> rows() {
    return List.copyOf(rows.values());
  }

  /** Records a finished trial: the table is rewritten with it. */
  synchronized Row record(Trials.Outcome o) throws IOException {
    Row r = new Row(o.trial(), o.metrics(), o.seconds(), o.started().toString(), o.error());
    rows.put(r.trial(), r);
    writeAtomically(RESULTS_CSV, csv().getBytes(StandardCharsets.UTF_8));
    return r;
  }

  /** The best finished trial by the tune's metric and goal (the lower number on a tie), or null when none has one. */
  synchronized Row best() {
    Row best = null;
    for (Row r : rows.values()) {
      if (r.ok() && (best == null || (tune.maximize() ? r.mean() > best.mean() : r.mean() < best.mean()))) {
        best = r;
      }
    }
    return best;
  }

  /** Writes a file of the tune's directory, e.g. {@value #BEST_CONF}, atomically. */
  void write(String name, byte[] content) throws IOException {
    writeAtomically(name, content);
  }

  /** Marks the tune finished: a rerun is refused (or, with overwrite, starts over). */
  void markFinished() throws IOException {
    writeAtomically(FINISHED, ("finished " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The table's header: trial, the tuned keys, fold_1..fold_k, mean_M, std_M, seconds, started, error. */
  List<String> header() {
    List<String> h = new ArrayList<>();
    h.add("trial");
    h.addAll(tune.keys());
    for (int i = 1; i <= tune.folds(); i++) {
      h.add("fold_" + i);
    }
    String m = tune.metric().jsonName();
    h.addAll(List.of("mean_" + m, "std_" + m, "seconds", "started", "error"));
    return h;
  }

  private String csv() {
    StringBuilder sb = new StringBuilder(String.join(",", header())).append('\n');
    for (Row r : rows.values()) {
      List<String> cells = new ArrayList<>();
      cells.add(Integer.toString(r.trial()));
      TuneConfig.Trial t = tune.trials().get(r.trial() - 1);
      tune.keys().forEach(k -> cells.add(Csv.quote(t.valueText(k))));
      for (int i = 0; i < tune.folds(); i++) {
        cells.add(r.ok() ? number(r.metrics()[i]) : "");
      }
      cells.add(r.ok() ? number(r.mean()) : "");
      cells.add(r.ok() ? number(r.std()) : "");
      cells.add(String.format(Locale.ROOT, "%.2f", r.seconds()));
      cells.add(r.started());
      cells.add(r.error() == null ? "" : Csv.quote(r.error()));
      sb.append(String.join(",", cells)).append('\n');
    }
    return sb.toString();
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }

  /** Reads the rows an earlier run of this tune recorded. */
  private void readRows() throws IOException {
    Path p = new Path(dir, RESULTS_CSV);
    if (!fs.exists(p)) {
      return;
    }
    List<String> lines = Csv.lines(read(fs, p));
    int keys = tune.keys().size();
    int k = tune.folds();
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      List<String> c = Csv.split(line);
      if (c.size() != header().size()) {
        throw new IllegalArgumentException("tune.dir: " + p + " has a row of " + c.size() + " cells, the header "
            + header().size() + "; it was not written by this tune: set output.overwrite = true to start over");
      }
      String error = c.get(c.size() - 1).isEmpty() ? null : c.get(c.size() - 1);
      double[] metrics = error != null ? new double[0]
          : c.subList(1 + keys, 1 + keys + k).stream().mapToDouble(Double::parseDouble).toArray();
      rows.put(Integer.parseInt(c.get(0)), new Row(Integer.parseInt(c.get(0)), metrics,
          Double.parseDouble(c.get(c.size() - 3)), c.get(c.size() - 2), error));
    }
  }

  private static String fingerprint(FileSystem fs, Path state) throws IOException {
    return Json.mapper().readTree(read(fs, state)).path("fingerprint").asText();
  }

  private static String read(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void writeAtomically(String name, byte[] content) throws IOException {
    Path target = new Path(dir, name);
    Path tmp = new Path(dir, "." + name + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(content);
    }
    if (fs.exists(target)) {
      fs.delete(target, false);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }
}
