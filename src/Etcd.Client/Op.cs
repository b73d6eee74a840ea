using Etcdserverpb;
using Google.Protobuf;

namespace MiniKube.Etcd.Client;

/// <summary>Operations for a transaction's Then and Else (clientv3's OpGet, OpPut, OpDelete, OpTxn).</summary>
public static class Op
{
    public static RequestOp Get(ByteString key, GetOptions? options = null) => new() { RequestRange = Requests.Range(key, options) };

    public static RequestOp Get(string key, GetOptions? options = null) => Get(ByteString.CopyFromUtf8(key), options);

    public static RequestOp Put(ByteString key, ByteString value, PutOptions? options = null) => new() { RequestPut = Requests.Put(key, value, options) };

    public static RequestOp Put(string key, string value, PutOptions? options = null) => Put(ByteString.CopyFromUtf8(key), ByteString.CopyFromUtf8(value), options);

    public static RequestOp Delete(ByteString key, DeleteOptions? options = null) => new() { RequestDeleteRange = Requests.Delete(key, options) };

    public static RequestOp Delete(string key, DeleteOptions? options = null) => Delete(ByteString.CopyFromUtf8(key), options);

    /// <summary>A nested transaction (etcd 3.3+).</summary>
    public static RequestOp Txn(TxnRequest txn) => new() { RequestTxn = txn };
}
