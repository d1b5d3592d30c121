package io.rustrade.sample.trading;

/** The venue refused the gateway's login. */
public class LoginRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LoginRefusedException(String message) {
        super(message);
    }
}
