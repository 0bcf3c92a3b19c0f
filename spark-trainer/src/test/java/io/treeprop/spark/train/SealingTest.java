package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The sealed barrier channel: frames, keys, and the door's check of a task's proof of Spark's secret. */
class SealingTest {
  private static final long TOKEN = 77L;

  private static SecretKeySpec key(String secret) {
    return Sealing.of(secret, TOKEN).sessionKey(new byte[Sealing.NONCE], new byte[Sealing.NONCE]);
  }

  private static byte[] sealed(SecretKeySpec k, byte[]... messages) throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(new Sealing.Out(wire, k, Sealing.TO_TASK));
    for (byte[] m : messages) {
      out.write(m);
      out.flush();
    }
    return wire.toByteArray();
  }

  @Test
  void messagesRoundTripAndNothingIsInTheClear() throws IOException {
    byte[] a = "first message, step order".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] b = new byte[100_000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    byte[] wire = sealed(key("s3cret"), a, b);
    assertFalse(new String(wire, java.nio.charset.StandardCharsets.ISO_8859_1).contains("step order"));
    DataInputStream in = new DataInputStream(new Sealing.In(new ByteArrayInputStream(wire), key("s3cret"),
        Sealing.TO_TASK));
    byte[] got = new byte[a.length + b.length];
    in.readFully(got);
    assertArrayEquals(a, java.util.Arrays.copyOf(got, a.length));
    assertArrayEquals(b, java.util.Arrays.copyOfRange(got, a.length, got.length));
    assertEquals(-1, in.read());
  }

  @Test
  void anAlteredFrameAWrongKeyOrTheOtherDirectionFail() throws IOException {
    byte[] wire = sealed(key("s3cret"), new byte[] {1, 2, 3});
    byte[] altered = wire.clone();
    altered[altered.length - 1] ^= 1;
    assertThrows(IOException.class, () -> new Sealing.In(new ByteArrayInputStream(altered), key("s3cret"),
        Sealing.TO_TASK).read());
    assertThrows(IOException.class, () -> new Sealing.In(new ByteArrayInputStream(wire), key("other"),
        Sealing.TO_TASK).read());
    assertThrows(IOException.class, () -> new Sealing.In(new ByteArrayInputStream(wire), key("s3cret"),
        Sealing.TO_DRIVER).read(), "a frame reflected back the other way");
  }

  @Test
  void theDoorLetsInOnlyTasksThatHoldTheSecret() throws Exception {
    Sealing driver = Sealing.of("s3cret", TOKEN);
    try (TcpDoor door = new TcpDoor("127.0.0.1", 2, TOKEN, 1 << 16, driver)) {
      try (Socket stranger = new Socket("127.0.0.1", door.port());
          Socket plain = new Socket("127.0.0.1", door.port())) {
        // each hello in one write, as a task sends it: the door may close a stranger before reading it all
        Wire.writeSealedHello(new DataOutputStream(new BufferedOutputStream(stranger.getOutputStream())),
            Sealing.of("guess", TOKEN), 1, 0, Sealing.nonce());
        // the token (which the task closure carries) is not enough without the secret
        Wire.writeHello(new DataOutputStream(new BufferedOutputStream(plain.getOutputStream())), TOKEN, 1, 1);
        assertNull(door.next(1, 1500));
      }
      try (Socket task = new Socket("127.0.0.1", door.port())) {
        byte[] nonce = Sealing.nonce();
        Wire.writeSealedHello(new DataOutputStream(task.getOutputStream()), Sealing.of("s3cret", TOKEN), 1, 1,
            nonce);
        byte[] reply = new DataInputStream(task.getInputStream()).readNBytes(Sealing.NONCE);
        TcpDoor.Arrival a = door.next(1, 5000);
        assertEquals(1, a.partition());
        assertTrue(a.key() != null);
        assertArrayEquals(driver.sessionKey(nonce, reply).getEncoded(), a.key().getEncoded());
      }
    }
  }
}
