package io.treeprop.jobs.score;

import io.treeprop.core.model.Model;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.data.SourceSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores files as they land in a directory, exactly once.
 *
 * <p>Spark's file stream source ({@code binaryFile}, reading only the paths) finds the new files of each
 * micro-batch and records them in the checkpoint; each new file is then read and checked as a batch source
 * (the same {@link DataSource} as {@code score}, so the same formats, options and messages), scored in blocks, and
 * the micro-batch's scores are written to {@code output/batch=<id>/} through a hidden temporary directory renamed
 * into place (one write per micro-batch). A micro-batch that Spark runs again after a failure (same id, same files, from the checkpoint)
 * replaces its directory, so every file's rows appear once; {@code spark.read().parquet(output)} reads them all,
 * with the micro-batch as a {@code batch} column and each row's file as {@value #FILE}.
 */
public final class StreamScoring {
  private static final Logger LOG = LoggerFactory.getLogger(StreamScoring.class);
  /** The column naming the file each scored row came from. */
  public static final String FILE = "source_file";

  private StreamScoring() {}

  /**
   * Starts the query.
   *
   * @param spec the source: its path is the directory to watch, every other option applies to each file
   * @param once process the files there now, then stop ({@code Trigger.AvailableNow}); else poll every
   *     {@code intervalMs}
   */
  public static StreamingQuery start(SparkSession spark, Model model, SourceSpec spec, String output,
      String format, String checkpoint, boolean once, long intervalMs) {
    if (!format.equals("parquet") && !format.equals("csv")) {
      throw new IllegalArgumentException("output format \"" + format + "\" is not parquet or csv");
    }
    String dir = spec.path();
    // the binaryFile source's fixed schema; only the path is read (it skips contents nobody selects)
    StructType binaryFile = new StructType().add("path", DataTypes.StringType, false)
        .add("modificationTime", DataTypes.TimestampType, false).add("length", DataTypes.LongType, false)
        .add("content", DataTypes.BinaryType, true);
    Dataset<Row> files = spark.readStream().format("binaryFile").schema(binaryFile).load(dir).select("path");
    VoidFunction2<Dataset<Row>, Long> each = (batch, id) -> scoreBatch(spark, model, spec, batch, id, output, format);
    try {
      return files.writeStream().queryName("treeprop score " + dir).option("checkpointLocation", checkpoint)
          .trigger(once ? Trigger.AvailableNow() : Trigger.ProcessingTime(intervalMs))
          .foreachBatch(each).start();
    } catch (TimeoutException e) {
      throw new IllegalStateException("the scoring stream did not start", e);
    }
  }

  private static void scoreBatch(SparkSession spark, Model model, SourceSpec spec, Dataset<Row> batch, long id,
      String output, String format) throws IOException {
    List<String> paths = new ArrayList<>();
    for (Row r : batch.orderBy("path").collectAsList()) {
      paths.add(r.getString(0));
    }
    if (paths.isEmpty()) {
      return;
    }
    Path out = new Path(output);
    FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path target = new Path(out, "batch=" + id);
    Path tmp = new Path(out, ".batch=" + id + ".tmp");
    if (fs.exists(tmp)) {
      fs.delete(tmp, true);
    }
    try {
      Dataset<Row> scored = null;
      for (String path : paths) {
        SourceData data = DataSource.read(spark, spec.withPath(path));
        Dataset<Row> one = Scoring.score(spark, model, data).withColumn(FILE, functions.lit(path));
        scored = scored == null ? one : scored.unionByName(one);
      }
      Scoring.write(scored, tmp.toString(), format, false);
      if (fs.exists(target)) {
        fs.delete(target, true); // the same micro-batch again after a failure: its files, scored again
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
    }
    LOG.info("scored micro-batch {}: {} new file(s) into {}", id, paths.size(), target);
  }

  /** Runs until the query ends (for {@code once}) or fails; rethrows its failure as ours. */
  public static void await(StreamingQuery q) {
    try {
      q.awaitTermination();
    } catch (Exception e) { // StreamingQueryException, checked in Java's eyes
      Throwable c = e.getCause() != null ? e.getCause() : e;
      if (c instanceof IllegalArgumentException iae) {
        throw iae;
      }
      if (c instanceof UncheckedIOException u) {
        throw u;
      }
      throw new IllegalStateException("the scoring stream failed: " + c.getMessage(), c);
    }
  }
}
