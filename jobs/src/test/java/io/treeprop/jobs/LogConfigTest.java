package io.treeprop.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The launcher's log configuration keeps Spark's own reports of a failure (a failed task's trace from the executor
 * and the task-set manager, a SparkContext that cannot start) off the console: the command reports it as one line.
 */
class LogConfigTest {
  @Test
  void sparksFailureTracesAreOffInTheCommandsLogConfig() throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of("../conf/log4j2.properties"))) {
      p.load(r);
    }
    Map<String, String> levels = new HashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("logger.") && key.endsWith(".name")) {
        levels.put(p.getProperty(key), p.getProperty(key.replaceFirst("\\.name$", ".level")));
      }
    }
    assertEquals("off", levels.get("org.apache.spark.executor.Executor"));
    assertEquals("off", levels.get("org.apache.spark.scheduler.TaskSetManager"));
    assertEquals("off", levels.get("org.apache.spark.SparkContext"));
    assertEquals("info", levels.get("treeprop.progress"), "progress stays on");
  }
}
