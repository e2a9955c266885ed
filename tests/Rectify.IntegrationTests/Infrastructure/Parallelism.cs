// The integration tests wait on more than the processor: SQLite's and PostgreSQL's flushes to disk, Chromium, the server
// processes of the crash and command-line tests. With one class per core (the default), CI's two cores stood idle half
// the run (a run's processes used 31 of its 70 core-minutes); four classes at a time keep them busy.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
