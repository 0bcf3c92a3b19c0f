package io.treeprop.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a real HDFS (the shaded mini-cluster Spark's tests use, one data node) per test class,
 * storing its blocks in a temporary directory. Register it as a static field:
 * {@code @RegisterExtension static final MiniHdfs HDFS = new MiniHdfs();} and use {@link #cluster()}.
 */
public final class MiniHdfs implements BeforeAllCallback, AfterAllCallback {
  private MiniDFSCluster cluster;
  private Path base;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    base = Files.createTempDirectory("treeprop-hdfs-");
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (cluster != null) {
      cluster.shutdown();
    }
    if (base != null) {
      try (var files = Files.walk(base)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The running cluster. */
  public MiniDFSCluster cluster() {
    return cluster;
  }
}
