package io.rustrade.supervisor.autoconfigure;

/** Marks the starter's own lifecycle beans, which are never supervised unless included by name. */
interface SupervisorInfrastructure {}
