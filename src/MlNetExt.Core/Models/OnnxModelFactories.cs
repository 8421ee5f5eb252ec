using System.Reflection;
using Microsoft.ML;

namespace MlNetExt.Core.Models;

/// <summary>
/// Finds the model type that restores each <c>mlnetext.model</c> value: the non-abstract <see cref="OnnxModelTransformer"/>
/// types implementing <see cref="IOnnxModelFactory{TSelf}"/> in the MlNetExt assemblies of the process. Built once per
/// load (no static state). When a kind is not among the loaded assemblies, the MlNetExt assemblies beside the application
/// (MlNetExt.*.dll in its base folder) are loaded and searched too: an application that only calls
/// <c>DeepLearning().Model.Load</c> may not have loaded the plugin yet.
/// </summary>
internal sealed class OnnxModelFactories
{
    private static readonly string CoreName = typeof(OnnxModelTransformer).Assembly.GetName().Name!;

    private readonly Dictionary<string, (Type Type, Func<MLContext, RestoredOnnxModel, OnnxModelTransformer> Restore)> _byKind =
        new(StringComparer.Ordinal);
    private readonly HashSet<string> _scanned = new(StringComparer.Ordinal);
    private bool _probedBaseDirectory;

    private OnnxModelFactories()
    {
    }

    /// <summary>The factories of the MlNetExt assemblies loaded now.</summary>
    public static OnnxModelFactories FromLoadedAssemblies()
    {
        var factories = new OnnxModelFactories();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            factories.Scan(assembly);
        return factories;
    }

    /// <summary>The type restoring <paramref name="kind"/> and its factory; false when no MlNetExt assembly has one.</summary>
    public bool TryGet(string kind, out Type type, out Func<MLContext, RestoredOnnxModel, OnnxModelTransformer> restore)
    {
        if (!_byKind.ContainsKey(kind) && !_probedBaseDirectory)
            ProbeBaseDirectory();
        if (_byKind.TryGetValue(kind, out var found))
        {
            (type, restore) = found;
            return true;
        }
        type = null!;
        restore = null!;
        return false;
    }

    /// <summary>The kind <typeparamref name="T"/> restores.</summary>
    public static string KindOf<T>() where T : OnnxModelTransformer, IOnnxModelFactory<T> => T.OnnxModelKind;

    private void ProbeBaseDirectory()
    {
        _probedBaseDirectory = true;
        string folder = AppContext.BaseDirectory;
        if (!Directory.Exists(folder))
            return;
        foreach (var file in Directory.EnumerateFiles(folder, "MlNetExt.*.dll"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (_scanned.Contains(name))
                continue;
            try
            {
                Scan(Assembly.Load(new AssemblyName(name)));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                _scanned.Add(name);   // not a loadable assembly of this application: nothing to restore from it
            }
        }
    }

    private void Scan(Assembly assembly)
    {
        if (assembly.IsDynamic || !_scanned.Add(assembly.GetName().Name ?? ""))
            return;
        if (assembly.GetName().Name != CoreName && !assembly.GetReferencedAssemblies().Any(a => a.Name == CoreName))
            return;
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            return;
        }
        var register = typeof(OnnxModelFactories).GetMethod(nameof(Register), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var type in types)
        {
            if (type.IsAbstract || type.IsGenericTypeDefinition || !type.IsSubclassOf(typeof(OnnxModelTransformer)))
                continue;
            bool isFactory = type.GetInterfaces().Any(i => i.IsGenericType
                && i.GetGenericTypeDefinition() == typeof(IOnnxModelFactory<>) && i.GetGenericArguments()[0] == type);
            if (isFactory)
                register.MakeGenericMethod(type).Invoke(this, BindingFlags.DoNotWrapExceptions, null, null, null);
        }
    }

    private void Register<T>() where T : OnnxModelTransformer, IOnnxModelFactory<T>
    {
        string kind = T.OnnxModelKind;
        if (_byKind.TryGetValue(kind, out var existing) && existing.Type != typeof(T))
            throw new InvalidOperationException(
                $"Two model types restore 'mlnetext.model' = '{kind}': {existing.Type.FullName} and {typeof(T).FullName}.");
        _byKind[kind] = (typeof(T), (context, parts) => T.Restore(context, parts));
    }
}
