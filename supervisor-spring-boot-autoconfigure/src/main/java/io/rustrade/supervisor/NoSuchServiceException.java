package io.rustrade.supervisor;

/** No service of the given name is supervised. */
public class NoSuchServiceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String serviceName;

    public NoSuchServiceException(String serviceName) {
        super("No supervised service is named '" + serviceName + "'");
        this.serviceName = serviceName;
    }

    /** The name that matched no service. */
    public String getServiceName() {
        return this.serviceName;
    }
}
