// The heavy tests (10,000 resources, child processes, a PostgreSQL cluster) would fight over 2 cores; one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
