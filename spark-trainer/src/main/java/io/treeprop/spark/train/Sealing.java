package io.treeprop.spark.train;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.SparkEnv;

/**
 * The barrier channel's protection when Spark's authentication is on ({@code spark.authenticate}): tasks prove
 * they know Spark's shared secret, and every message both ways is encrypted and authenticated (AES-256-GCM).
 *
 * <pre>
 * run key     = HMAC-SHA256(Spark's secret, "treeprop-barrier-v1" | run token)
 * hello       = magic, version, 0, attempt, partition, task nonce (16 bytes),
 *               HMAC-SHA256(run key, attempt | partition | task nonce)
 * reply       = driver nonce (16 bytes), from the driver once the hello's MAC checks
 * session key = HMAC-SHA256(run key, task nonce | driver nonce)
 * frame       = int32 length, AES-GCM(session key, iv = direction | counter) of one flushed message
 * </pre>
 * Neither the secret nor a key travels anywhere (each side derives them from its own {@code SparkEnv}); the run
 * token, which the task closure carries, is never on the wire. A frame that was altered, replayed, reordered or
 * sealed with another key fails its tag and breaks the connection; the driver's nonce makes every session's key
 * new, so a recorded conversation cannot be replayed.
 */
final class Sealing {
  static final int NONCE = 16;
  static final int MAC = 32;
  static final int TO_TASK = 1;
  static final int TO_DRIVER = 2;
  private static final int TAG_BITS = 128;
  private static final int MAX_FRAME = 1 << 30;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] runKey;

  private Sealing(byte[] runKey) {
    this.runKey = runKey;
  }

  /** The run's sealing when this JVM's Spark has authentication on with a secret, else null. */
  static Sealing fromSpark(long token) {
    SparkEnv env = SparkEnv.get();
    if (env == null || !env.conf().getBoolean("spark.authenticate", false)) {
      return null;
    }
    String secret = env.securityManager().getSecretKey();
    return secret == null ? null : of(secret, token);
  }

  static Sealing of(String secret, long token) {
    byte[] label = ("treeprop-barrier-v1|" + token).getBytes(StandardCharsets.UTF_8);
    return new Sealing(hmac(secret.getBytes(StandardCharsets.UTF_8), label));
  }

  static byte[] nonce() {
    byte[] n = new byte[NONCE];
    RANDOM.nextBytes(n);
    return n;
  }

  /** The hello's MAC: proves the task holds the run key. */
  byte[] helloMac(int attempt, int partition, byte[] taskNonce) {
    return hmac(runKey, ByteBuffer.allocate(8 + NONCE).putInt(attempt).putInt(partition).put(taskNonce).array());
  }

  boolean helloMacMatches(int attempt, int partition, byte[] taskNonce, byte[] mac) {
    return MessageDigest.isEqual(helloMac(attempt, partition, taskNonce), mac);
  }

  SecretKeySpec sessionKey(byte[] taskNonce, byte[] driverNonce) {
    byte[] both = ByteBuffer.allocate(2 * NONCE).put(taskNonce).put(driverNonce).array();
    return new SecretKeySpec(hmac(runKey, both), "AES");
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static GCMParameterSpec iv(int direction, long counter) {
    return new GCMParameterSpec(TAG_BITS, ByteBuffer.allocate(12).putInt(direction).putLong(counter).array());
  }

  private static Cipher cipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is not available in this JVM", e);
    }
  }

  /** Seals each flushed message as one frame. */
  static final class Out extends OutputStream {
    private final OutputStream raw;
    private final SecretKeySpec key;
    private final int direction;
    private final Cipher cipher = cipher();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long counter;

    Out(OutputStream raw, SecretKeySpec key, int direction) {
      this.raw = raw;
      this.key = key;
      this.direction = direction;
    }

    @Override
    public void write(int b) {
      pending.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      pending.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (pending.size() > 0) {
        byte[] sealed;
        try {
          cipher.init(Cipher.ENCRYPT_MODE, key, iv(direction, counter++));
          sealed = cipher.doFinal(pending.toByteArray());
        } catch (GeneralSecurityException e) {
          throw new IOException("cannot seal a barrier message", e);
        }
        pending.reset();
        raw.write(ByteBuffer.allocate(4).putInt(sealed.length).array());
        raw.write(sealed);
      }
      raw.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
      raw.close();
    }
  }

  /** Opens frames in order; a frame that does not authenticate is an IOException. */
  static final class In extends InputStream {
    private final DataInputStream raw;
    private final SecretKeySpec key;
    private final int direction;
    private final Cipher cipher = cipher();
    private byte[] frame = new byte[0];
    private int pos;
    private long counter;

    In(InputStream raw, SecretKeySpec key, int direction) {
      this.raw = new DataInputStream(raw);
      this.key = key;
      this.direction = direction;
    }

    private boolean fill() throws IOException {
      while (pos == frame.length) {
        int n;
        try {
          n = raw.readInt();
        } catch (EOFException e) {
          return false;
        }
        if (n <= 0 || n > MAX_FRAME) {
          throw new IOException("a barrier message frame of " + n + " bytes: not from this run's tasks or driver");
        }
        byte[] sealed = new byte[n];
        raw.readFully(sealed);
        try {
          cipher.init(Cipher.DECRYPT_MODE, key, iv(direction, counter++));
          frame = cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
          throw new IOException("a barrier message did not authenticate (altered, replayed, or sealed without "
              + "Spark's secret)", e);
        } catch (GeneralSecurityException e) {
          throw new IOException("cannot open a barrier message", e);
        }
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? frame[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, frame.length - pos);
      System.arraycopy(frame, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      raw.close();
    }
  }
}
