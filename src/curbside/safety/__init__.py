"""Safety stage: interaction, dose, population and emergency checks over a composed article.

Imports only ``curbside.domain``, the ``Store`` protocol and third-party libraries; the
drug-class knowledge comes in through the ``DrugClassResolver`` protocol.
"""
