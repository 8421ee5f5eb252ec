using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MlNetExt.Regression.Gaussian;

/// <summary>
/// Recovers an <see cref="MLContext"/> for a trainer created through <c>mlContext.Regression.Trainers</c>.
/// ML.NET keeps a catalog's environment behind an internal interface, so this reads it by reflection (the only
/// place that does) and returns a context seeded from it: the same MLContext seed gives the same training run.
/// </summary>
internal static class TrainerCatalogContext
{
    private const string EnvironmentProperty = "Microsoft.ML.Data.IInternalCatalog.Environment";

    public static MLContext From(object catalog, string componentName)
    {
        var property = catalog.GetType().GetProperty(EnvironmentProperty, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? FindInBaseTypes(catalog.GetType());
        if (property?.GetValue(catalog) is not IHostEnvironment environment)
            throw new NotSupportedException(
                $"Cannot read the ML.NET environment of {catalog.GetType().Name}; create the trainer from an MLContext's catalog.");
        if (environment is MLContext context)
            return context;
        int seed = environment.Register(componentName).Rand.Next();
        return new MLContext(seed);
    }

    private static PropertyInfo? FindInBaseTypes(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            var property = type.GetProperty(EnvironmentProperty, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                ?? type.GetProperty("Environment", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            if (property is not null && typeof(IHostEnvironment).IsAssignableFrom(property.PropertyType))
                return property;
        }
        return null;
    }
}
