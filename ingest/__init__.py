"""Getting news in: the HTTP fetcher, source reading (feeds, article files, folders) and the
health bookkeeping of each source. Plain Python: no Prefect, no environment reads."""
