package dev.gatehouse.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fails a read that has waited longer than the read timeout for data. java.net.http's request
 * timeout stops at the response headers, so a registry that stalls mid-body would otherwise hang
 * the caller; a watchdog interrupts the blocked reader instead.
 */
final class ReadTimeoutInputStream extends FilterInputStream {

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-read-timeout");
        t.setDaemon(true);
        return t;
    });

    private final long timeoutNanos;
    private final Duration timeout;
    private final Object lock = new Object();
    private final ScheduledFuture<?> check;
    private Thread reader;
    private long readStarted;
    private boolean timedOut;

    ReadTimeoutInputStream(InputStream in, Duration timeout) {
        super(in);
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(50, timeout.toMillis() / 4);
        this.check = WATCHDOG.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        synchronized (lock) {
            if (timedOut) {
                throw timeoutException();
            }
            reader = Thread.currentThread();
            readStarted = System.nanoTime();
        }
        try {
            int n = super.read(b, off, len);
            if (n < 0) {
                check.cancel(false);
            }
            return n;
        } catch (IOException e) {
            synchronized (lock) {
                if (timedOut) {
                    throw timeoutException();
                }
            }
            throw e;
        } finally {
            synchronized (lock) {
                reader = null;
                if (timedOut) {
                    Thread.interrupted();
                }
            }
        }
    }

    private HttpTimeoutException timeoutException() {
        return new HttpTimeoutException("no data received for " + timeout.toMillis() + " ms");
    }

    private void check() {
        synchronized (lock) {
            if (reader != null && System.nanoTime() - readStarted > timeoutNanos) {
                timedOut = true;
                reader.interrupt();
                check.cancel(false);
                closeQuietly();
            }
        }
    }

    private void closeQuietly() {
        try {
            in.close();
        } catch (IOException e) {
            // Closing only serves to wake the blocked reader.
        }
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
