package io.servicescluster.remote.services;

/** Does not implement Service. */
public class NotAService {
}
