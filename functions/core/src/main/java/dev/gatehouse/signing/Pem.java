package dev.gatehouse.signing;

import dev.gatehouse.ports.Signer;
import java.util.Base64;

/** PEM armour: one block of a given type in, one block out. */
final class Pem {

    private Pem() {}

    static byte[] decode(String pem, String type) throws Signer.SigningException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end, Math.max(from, 0));
        if (from < 0 || to < 0) {
            throw new Signer.SigningException("expected a PEM block '" + begin + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new Signer.SigningException("PEM block '" + type + "' is not valid base64");
        }
    }

    static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
