package io.treeprop.spark.train;

import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.TrainingSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes one JSON object per line to a Hadoop path: {@code {"event":"step",...}} with the time split,
 * {@code {"event":"epoch",...}} and {@code {"event":"end",...}}. Each line is flushed, so a crash loses nothing
 * already reported. Close it (or let {@code onEnd} close it).
 */
public final class JsonLinesMetrics implements TrainingListener, AutoCloseable {
  private final FSDataOutputStream out;

  public JsonLinesMetrics(String path, Configuration hadoop) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(hadoop);
    this.out = fs.create(p, true);
  }

  @Override
  public void onStep(StepReport s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "step");
    m.put("report", s);
    write(m);
  }

  @Override
  public void onEpoch(EpochMetrics e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "epoch");
    m.put("metrics", e);
    write(m);
  }

  @Override
  public void onEnd(TrainingSummary summary) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "end");
    m.put("stopReason", summary.stopReason());
    m.put("steps", summary.steps());
    m.put("seconds", summary.seconds());
    write(m);
    close();
  }

  private void write(Object o) {
    try {
      OutputStream o2 = out;
      o2.write((Json.writeCompact(o) + "\n").getBytes(StandardCharsets.UTF_8));
      out.hflush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics", e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close metrics file", e);
    }
  }
}
