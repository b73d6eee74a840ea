namespace MiniKube.RocksDb.Tests;

/// <summary>
/// Base for tests that open databases: xunit makes one instance per test, so each test gets its own temp
/// directory, and every database it opened is disposed (if the test did not) before the directory goes.
/// </summary>
public abstract class DatabaseTest : IDisposable
{
    private readonly List<RocksDatabase> _opened = [];

    protected TempDirectory Temp { get; } = new();

    protected string DbPath => Temp.Sub("db");

    protected RocksDatabase Open(params string[] columnFamilies) => OpenAt(DbPath, columnFamilies);

    protected RocksDatabase OpenAt(string path, IEnumerable<string> columnFamilies, RocksDbOptions? options = null)
    {
        RocksDatabase db = RocksDatabase.Open(path, columnFamilies, options);
        _opened.Add(db);
        return db;
    }

    public void Dispose()
    {
        foreach (RocksDatabase db in _opened)
            db.Dispose();
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
