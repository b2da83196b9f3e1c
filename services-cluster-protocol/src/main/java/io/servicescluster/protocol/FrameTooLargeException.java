package io.servicescluster.protocol;

/** A frame larger than the port's limit: refused on the sending side, fatal on the receiving side. */
public final class FrameTooLargeException extends FrameException {

    private final long size;
    private final int limit;

    public FrameTooLargeException(long size, int limit) {
        super("frame of " + size + " bytes exceeds the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    /** The size that was refused, in bytes. */
    public long size() {
        return size;
    }

    /** The limit in force, in bytes. */
    public int limit() {
        return limit;
    }
}
