package io.treeprop.spark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.TrainingSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes one JSON object per line to a Hadoop path: {@code {"event":"step",...}} with the time split,
 * {@code {"event":"epoch",...}} and {@code {"event":"end",...}}. Each line is flushed, so a crash loses nothing
 * already reported. A run that resumes from a checkpoint keeps the file's complete lines up to the checkpoint's
 * step and appends after them (a crash may have cut the last line, and steps after the checkpoint are redone);
 * a fresh run starts the file anew. Close it (or let {@code onEnd} close it).
 */
public final class JsonLinesMetrics implements TrainingListener, AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final Path path;
  private final FileSystem fs;
  private FSDataOutputStream out;

  public JsonLinesMetrics(String path, Configuration hadoop) throws IOException {
    this.path = new Path(path);
    this.fs = this.path.getFileSystem(hadoop);
  }

  @Override
  public void onResume(long step) {
    List<String> kept = new ArrayList<>();
    try {
      if (fs.exists(path)) {
        String text;
        // a crash can leave the local file system's .crc behind the data: read past it, the lines are checked
        FileSystem raw = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
        try (InputStream in = raw.open(path)) {
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int end = text.lastIndexOf('\n');
        for (String line : end < 0 ? new String[0] : text.substring(0, end).split("\n")) {
          if (before(line, step)) {
            kept.add(line);
          }
        }
      }
      out = fs.create(path, true);
      for (String line : kept) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.hflush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the metrics history in " + path, e);
    }
  }

  /** A complete step or epoch line reported at or before global step {@code step}. */
  private static boolean before(String line, long step) {
    try {
      JsonNode n = MAPPER.readTree(line);
      JsonNode at = switch (n.path("event").asText()) {
        case "step" -> n.path("report").path("step");
        case "epoch" -> n.path("metrics").path("step");
        default -> null;
      };
      return at != null && at.canConvertToLong() && at.asLong() <= step;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void onStart(long rows, int stepsPerEpoch, int epochs, int partitions) {
    if (out == null) {
      try {
        out = fs.create(path, true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the metrics file " + path, e);
      }
    }
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
    if (out == null) {
      onStart(0, 0, 0, 0);
    }
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
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close metrics file", e);
    }
  }
}
